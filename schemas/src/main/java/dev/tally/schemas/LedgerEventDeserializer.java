package dev.tally.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import dev.tally.schemas.upcasting.Upcasters;

/**
 * Reads single-object-encoded events into today's generated classes. The writer's fingerprint
 * picks the event type and the writer schema; events written with an older released version of a
 * type are resolved into the current class (Avro schema resolution: new fields take their defaults).
 * A fingerprint it does not know raises {@link UnknownEventTypeException}, which a subscriber may
 * treat as "skip" (the record's headers say what it was; see {@link SkippingLedgerEventDeserializer}).
 */
public final class LedgerEventDeserializer implements Deserializer<SpecificRecord> {

    private static final int HEADER_LENGTH = 10;

    private final Map<Long, BinaryMessageDecoder<SpecificRecord>> decodersByFingerprint = new HashMap<>();
    /** Writer fingerprint to the release it is, for the versions that need upcasting after resolution. */
    private final Map<Long, Integer> olderReleases = new HashMap<>();
    private final Upcasters upcasters;
    private final Set<String> knownTypes;

    /** Knows every current type and every released version of it. */
    public LedgerEventDeserializer() {
        this(EventTypes.CURRENT, SchemaHistory.shipped());
    }

    /**
     * Knows exactly the given writer schemas, each decoded into its generated class. Handy to play
     * a subscriber that was built against fewer types.
     */
    public LedgerEventDeserializer(List<Schema> writerSchemas) {
        this(writerSchemas, SchemaHistory.of(List.of()));
    }

    /**
     * Decodes into the generated class of each reader schema, and also accepts every version of
     * that type in {@code history} as a writer schema.
     */
    public LedgerEventDeserializer(List<Schema> readerSchemas, SchemaHistory history) {
        this(readerSchemas, history, Upcasters.ALL);
    }

    /** As above, with the given upcasters (for tests of the upcasting itself). */
    public LedgerEventDeserializer(List<Schema> readerSchemas, SchemaHistory history, Upcasters upcasters) {
        this.upcasters = upcasters;
        for (Schema reader : readerSchemas) {
            BinaryMessageDecoder<SpecificRecord> decoder =
                    new BinaryMessageDecoder<>(SpecificData.getForSchema(reader), reader);
            decodersByFingerprint.put(SchemaNormalization.parsingFingerprint64(reader), decoder);
            for (SchemaVersion released : history.versionsOf(reader.getName())) {
                // The decoder keeps a resolver from each added writer schema to the reader; the version
                // that equals the reader (by fingerprint) is already there and needs none.
                if (!decodersByFingerprint.containsKey(released.fingerprint())) {
                    decoder.addSchema(released.schema());
                    decodersByFingerprint.put(released.fingerprint(), decoder);
                    olderReleases.put(released.fingerprint(), released.number());
                }
            }
        }
        this.knownTypes = readerSchemas.stream().map(Schema::getName).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether this reader decodes the event type of that simple name (e.g. {@code FundsDeposited}). */
    public boolean knowsType(String simpleName) {
        return knownTypes.contains(simpleName);
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
        SpecificRecord event;
        try {
            event = decoder.decode(data);
        } catch (Exception e) {
            throw new SerializationException("Cannot decode event with fingerprint " + Long.toHexString(fingerprint), e);
        }
        Integer writtenVersion = olderReleases.get(fingerprint);
        return writtenVersion == null ? event : upcasters.toCurrent(event, writtenVersion);
    }
}
