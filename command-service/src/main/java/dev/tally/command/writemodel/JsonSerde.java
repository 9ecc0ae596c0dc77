package dev.tally.command.writemodel;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
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

    // Every command, result and store access of the write model goes through here (several per
    // command), so it is on the hot path: Blackbird replaces Jackson's reflective accessors with
    // generated ones, and each type gets its reader and writer once instead of per call.
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new BlackbirdModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Class<T> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    public JsonSerde(Class<T> type) {
        this.type = type;
        this.reader = MAPPER.readerFor(type);
        this.writer = MAPPER.writerFor(type);
    }

    public byte[] toBytes(T value) {
        try {
            return value == null ? null : writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SerializationException("Cannot write " + type.getSimpleName(), e);
        }
    }

    public T fromBytes(byte[] bytes) {
        try {
            return bytes == null ? null : reader.readValue(bytes);
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
