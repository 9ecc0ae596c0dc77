package dev.tally.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads single-object-encoded events into the generated classes. The writer's fingerprint picks
 * the event type; a fingerprint it does not know raises {@link UnknownEventTypeException}, which a
 * subscriber may treat as "skip" (the record's headers say what it was).
 */
public final class LedgerEventDeserializer implements Deserializer<SpecificRecord> {

    private static final int HEADER_LENGTH = 10;

    private final Map<Long, BinaryMessageDecoder<SpecificRecord>> decodersByFingerprint = new HashMap<>();

    public LedgerEventDeserializer() {
        this(EventTypes.CURRENT);
    }

    /** Knows exactly the given writer schemas, each decoded into its generated class. */
    public LedgerEventDeserializer(List<Schema> writerSchemas) {
        for (Schema schema : writerSchemas) {
            decodersByFingerprint.put(SchemaNormalization.parsingFingerprint64(schema),
                    new BinaryMessageDecoder<>(SpecificData.getForSchema(schema), schema));
        }
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < HEADER_LENGTH || data[0] != (byte) 0xC3 || data[1] != (byte) 0x01) {
            throw new SerializationException("Not an Avro single-object encoded value");
        }
        long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        BinaryMessageDecoder<SpecificRecord> decoder = decodersByFingerprint.get(fingerprint);
        if (decoder == null) {
            throw new UnknownEventTypeException(fingerprint);
        }
        try {
            return decoder.decode(data);
        } catch (Exception e) {
            throw new SerializationException("Cannot decode event with fingerprint " + Long.toHexString(fingerprint), e);
        }
    }
}
