package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.ConsistencyToken;
import dev.tally.schemas.EventHeaders;
import dev.tally.schemas.SchemaHistory;
import dev.tally.schemas.SchemaVersion;
import dev.tally.schemas.Topics;
import dev.tally.stack.LocalStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Events written by an old producer (FundsWithdrawn v1, before balanceBeforeMinor existed) sit in the
 * topic forever. Today's projections must read them as today's release means them.
 */
class UpcastingSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();
    private final SchemaHistory history = SchemaHistory.shipped();

    @Test
    void a_version_one_withdrawal_in_the_topic_is_projected_with_its_computed_balance_before() throws Exception {
        String id = "v1-" + UUID.randomUUID();
        Instant at = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                stack.bootstrapServers(), "enable.idempotence", true), new StringSerializer(), new ByteArraySerializer())) {
            send(producer, id, "AccountOpened", 1, record("AccountOpened", 1, id, 1, at, Map.of("owner", "old",
                    "currency", "USD", "scale", 2, "overdraftLimitMinor", 0L, "metadata", Map.of())));
            send(producer, id, "FundsDeposited", 1, record("FundsDeposited", 1, id, 2, at, Map.of("transactionId", "t1",
                    "amountMinor", 5_000L, "currency", "USD", "balanceAfterMinor", 5_000L, "metadata", Map.of())));
            send(producer, id, "FundsWithdrawn", 1, record("FundsWithdrawn", 1, id, 3, at.plusMillis(1), Map.of(
                    "transactionId", "t2", "amountMinor", 1_500L, "currency", "USD", "balanceAfterMinor", 3_500L,
                    "metadata", Map.of())));
            producer.flush();
        }
        String token = ConsistencyToken.of(id, 3).encode();

        JsonNode account = http.get(stack.queryUrl() + "/accounts/" + id, "Consistency-Token", token).json();
        assertEquals("35.00", account.get("balance").asText(), account::toString);
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        JsonNode days = http.get(stack.queryUrl() + "/accounts/" + id + "/daily?from=" + day + "&to=" + day,
                "Consistency-Token", token).json().get("days");
        assertEquals("0.00", days.get(0).get("openingBalance").asText(), days::toString);
        assertEquals("35.00", days.get(0).get("closingBalance").asText());
        JsonNode audit = http.get(stack.queryUrl() + "/audit?accountId=" + id, "Consistency-Token", token).json()
                .get("items");
        assertEquals("5000", audit.get(2).get("details").path("balanceBeforeMinor").asText(),
                "the v1 withdrawal reads with balanceBefore = balanceAfter + amount, not a default (v2's -1, v3's null)");
    }

    @Test
    void a_version_two_withdrawal_whose_balance_before_was_minus_one_is_projected_with_minus_one() throws Exception {
        String id = "v2-" + UUID.randomUUID();
        Instant today = Instant.now();
        Instant yesterday = today.minus(1, ChronoUnit.DAYS);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                stack.bootstrapServers(), "enable.idempotence", true), new StringSerializer(), new ByteArraySerializer())) {
            send(producer, id, "AccountOpened", 1, record("AccountOpened", 1, id, 1, yesterday, Map.of("owner", "old",
                    "currency", "USD", "scale", 2, "overdraftLimitMinor", 1_000L, "metadata", Map.of())));
            send(producer, id, "FundsWithdrawn", 2, record("FundsWithdrawn", 2, id, 2, yesterday, Map.of(
                    "transactionId", "t1", "amountMinor", 1L, "currency", "USD", "balanceAfterMinor", -1L,
                    "balanceBeforeMinor", 0L, "metadata", Map.of())));
            send(producer, id, "FundsWithdrawn", 2, record("FundsWithdrawn", 2, id, 3, today, Map.of(
                    "transactionId", "t2", "amountMinor", 1L, "currency", "USD", "balanceAfterMinor", -2L,
                    "balanceBeforeMinor", -1L, "metadata", Map.of())));
            producer.flush();
        }
        String token = ConsistencyToken.of(id, 3).encode();

        LocalDate day = LocalDate.ofInstant(today, ZoneOffset.UTC);
        JsonNode days = http.get(stack.queryUrl() + "/accounts/" + id + "/daily?from=" + day + "&to=" + day,
                "Consistency-Token", token).json().get("days");
        assertEquals("-0.01", days.get(0).get("openingBalance").asText(), days::toString);
        assertEquals("-0.02", days.get(0).get("closingBalance").asText());
        JsonNode audit = http.get(stack.queryUrl() + "/audit?accountId=" + id, "Consistency-Token", token).json()
                .get("items");
        assertEquals("-1", audit.get(2).get("details").path("balanceBeforeMinor").asText(),
                "v2's -1 is the balance that withdrawal found, kept as written");
    }

    private GenericRecord record(String type, int version, String accountId, long sequence, Instant at,
                                 Map<String, Object> fields) {
        Schema schema = version(type, version).schema();
        GenericRecord meta = new GenericData.Record(schema.getField("meta").schema());
        meta.put("eventId", UUID.randomUUID().toString());
        meta.put("accountId", accountId);
        meta.put("sequence", sequence);
        meta.put("occurredAt", at.toEpochMilli() * 1000);
        meta.put("commandId", "old-" + sequence);
        meta.put("correlationId", "old-" + sequence);
        meta.put("causationId", null);
        meta.put("actor", "legacy-producer");
        GenericRecord event = new GenericData.Record(schema);
        event.put("meta", meta);
        fields.forEach(event::put);
        schema.getFields().stream().filter(f -> event.get(f.name()) == null && f.hasDefaultValue())
                .forEach(f -> event.put(f.name(), GenericData.get().getDefaultValue(f)));
        return event;
    }

    private SchemaVersion version(String type, int number) {
        return history.versionsOf(type).stream().filter(v -> v.number() == number).findFirst().orElseThrow();
    }

    private void send(KafkaProducer<String, byte[]> producer, String key, String type, int version, GenericRecord event)
            throws Exception {
        Schema schema = version(type, version).schema();
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(event);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.LEDGER_EVENTS.name(), key, bytes);
        record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }
}
