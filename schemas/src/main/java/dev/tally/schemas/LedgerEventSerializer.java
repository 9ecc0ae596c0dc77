package dev.tally.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes an event in Avro's single-object encoding (marker, writer-schema fingerprint, body), so
 * any Avro library can decode it with the published {@code .avsc} files and no registry. It also
 * stamps the type headers of {@link EventHeaders}.
 */
public final class LedgerEventSerializer implements Serializer<SpecificRecord> {

    private final Map<Schema, BinaryMessageEncoder<SpecificRecord>> encoders = new ConcurrentHashMap<>();

    @Override
    public byte[] serialize(String topic, SpecificRecord event) {
        if (event == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoderFor(event.getSchema()).encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (Exception e) {
            throw new SerializationException("Cannot encode " + event.getSchema().getFullName(), e);
        }
    }

    @Override
    public byte[] serialize(String topic, Headers headers, SpecificRecord event) {
        if (event != null && headers != null) {
            Schema schema = event.getSchema();
            headers.remove(EventHeaders.EVENT_TYPE).remove(EventHeaders.SCHEMA).remove(EventHeaders.SCHEMA_FINGERPRINT);
            headers.add(EventHeaders.EVENT_TYPE, utf8(schema.getName()));
            headers.add(EventHeaders.SCHEMA, utf8(schema.getFullName()));
            headers.add(EventHeaders.SCHEMA_FINGERPRINT, utf8(fingerprintHex(schema)));
        }
        return serialize(topic, event);
    }

    /** Normalising a schema costs far more than encoding an event, and there are only a few schemas. */
    private static final Map<Schema, String> FINGERPRINTS = new ConcurrentHashMap<>();

    public static String fingerprintHex(Schema schema) {
        return FINGERPRINTS.computeIfAbsent(schema,
                s -> String.format("%016x", SchemaNormalization.parsingFingerprint64(s)));
    }

    private BinaryMessageEncoder<SpecificRecord> encoderFor(Schema schema) {
        return encoders.computeIfAbsent(schema,
                s -> new BinaryMessageEncoder<>(SpecificData.getForSchema(s), s));
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
