package dev.tally.command.writemodel;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for the write model's internal records (commands, results, state). These never leave the
 * command service's own topics and store, so they need no published schema; the ledger events do,
 * and those are Avro.
 */
public final class JsonSerde<T> implements Serde<T> {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Class<T> type;

    public JsonSerde(Class<T> type) {
        this.type = type;
    }

    public byte[] toBytes(T value) {
        try {
            return value == null ? null : MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SerializationException("Cannot write " + type.getSimpleName(), e);
        }
    }

    public T fromBytes(byte[] bytes) {
        try {
            return bytes == null ? null : MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new SerializationException("Cannot read " + type.getSimpleName(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> toBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> fromBytes(bytes);
    }
}
