package dev.tally.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.events.FundsDeposited;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Events written by an older release must be read into today's classes. The real history has one
 * version per type so far (the golden fixtures cover those), so this plays an older one: FundsDeposited before EventMeta had the
 * idempotency fields and before deposits had metadata.
 */
class HistoricalEventsTest {

    private static final String TOPIC = Topics.LEDGER_EVENTS.name();
    private static final Instant AT = Instant.parse("2025-11-30T08:00:00.000001Z");

    private final Schema olderDeposit = SchemaEdits.withoutFields(SchemaEdits.released("FundsDeposited", 1),
            "meta.idempotencyKey", "meta.requestHash", "metadata");
    private final byte[] writtenByOlderRelease = encode(olderDeposit, oldDeposit());

    @Test
    void an_event_written_with_an_older_release_is_read_into_todays_class_with_defaults_for_what_it_lacked() {
        LedgerEventDeserializer reader = new LedgerEventDeserializer(EventTypes.CURRENT,
                SchemaHistory.of(List.of(new SchemaVersion("FundsDeposited", 1, olderDeposit))));

        FundsDeposited deposit = (FundsDeposited) reader.deserialize(TOPIC, writtenByOlderRelease);

        assertEquals("acc-old", deposit.getMeta().getAccountId());
        assertEquals(7, deposit.getMeta().getSequence());
        assertEquals(AT.truncatedTo(ChronoUnit.MICROS), deposit.getMeta().getOccurredAt());
        assertEquals("cmd-old", deposit.getMeta().getCausationId());
        assertEquals(2_500, deposit.getAmountMinor());
        assertEquals("refund from shop", deposit.getReference());
        assertNull(deposit.getMeta().getIdempotencyKey(), "EventMeta.idempotencyKey did not exist yet");
        assertNull(deposit.getMeta().getRequestHash());
        assertEquals(Map.of(), deposit.getMetadata(), "metadata did not exist yet");
    }

    @Test
    void the_same_event_is_unknown_to_a_reader_that_was_not_given_that_release() {
        LedgerEventDeserializer withoutHistory = new LedgerEventDeserializer(EventTypes.CURRENT);

        UnknownEventTypeException unknown = assertThrows(UnknownEventTypeException.class,
                () -> withoutHistory.deserialize(TOPIC, writtenByOlderRelease));
        assertEquals(SchemaNormalization.parsingFingerprint64(olderDeposit), unknown.fingerprint());
    }

    private GenericRecord oldDeposit() {
        GenericRecord meta = new GenericRecordBuilder(olderDeposit.getField("meta").schema())
                .set("eventId", "e0a7b2a4-0000-4000-8000-000000000007").set("accountId", "acc-old").set("sequence", 7L)
                .set("occurredAt", AT.getEpochSecond() * 1_000_000 + AT.getNano() / 1_000)
                .set("commandId", "cmd-old").set("correlationId", "cmd-old").set("causationId", "cmd-old")
                .set("actor", "teller-1").build();
        return new GenericRecordBuilder(olderDeposit).set("meta", meta).set("transactionId", "tx-old")
                .set("amountMinor", 2_500L).set("currency", "EUR").set("balanceAfterMinor", 9_000L)
                .set("reference", "refund from shop").build();
    }

    private static byte[] encode(Schema writer, GenericRecord event) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
