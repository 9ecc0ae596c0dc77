package dev.tally.command.writemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.events.FundsWithdrawn;
import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.SchemaHistory;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Today's write model folds events written by an old producer (FundsWithdrawn v1) into the right state. */
class OldEventsRebuildTest {

    private final SchemaHistory history = SchemaHistory.shipped();

    @Test
    void version_one_events_rebuild_the_same_account_state_as_today_s_events_would() throws java.io.IOException {
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        LedgerEventDeserializer reader = new LedgerEventDeserializer();
        WriteModelRebuild rebuild = new WriteModelRebuild();

        rebuild.apply(reader.deserialize("t", v1("AccountOpened", 1, at, Map.of("owner", "old", "currency", "USD",
                "scale", 2, "overdraftLimitMinor", 0L, "metadata", Map.of()))));
        rebuild.apply(reader.deserialize("t", v1("FundsDeposited", 2, at, Map.of("transactionId", "t1",
                "amountMinor", 5_000L, "currency", "USD", "balanceAfterMinor", 5_000L, "metadata", Map.of()))));
        SpecificRecord withdrawal = reader.deserialize("t", v1("FundsWithdrawn", 3, at, Map.of("transactionId", "t2",
                "amountMinor", 1_500L, "currency", "USD", "balanceAfterMinor", 3_500L, "metadata", Map.of())));
        rebuild.apply(withdrawal);

        assertEquals(5_000L, ((FundsWithdrawn) withdrawal).getBalanceBeforeMinor(), "upcast on the way in");
        AccountSnapshot account = rebuild.result().accounts().get("old-account");
        assertEquals(3_500, account.balanceMinor());
        assertEquals(3, account.version());
        assertEquals("OPEN", account.status());
    }

    private byte[] v1(String type, long sequence, Instant at, Map<String, Object> fields) throws java.io.IOException {
        Schema schema = history.versionsOf(type).get(0).schema();
        GenericRecord meta = new GenericData.Record(schema.getField("meta").schema());
        meta.put("eventId", "e" + sequence);
        meta.put("accountId", "old-account");
        meta.put("sequence", sequence);
        meta.put("occurredAt", at.toEpochMilli() * 1000);
        meta.put("commandId", "c" + sequence);
        meta.put("correlationId", "c" + sequence);
        meta.put("actor", "legacy");
        GenericRecord event = new GenericData.Record(schema);
        event.put("meta", meta);
        fields.forEach(event::put);
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(event);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }
}
