package dev.tally.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class LedgerEventSerdeTest {

    private final LedgerEventSerializer serializer = new LedgerEventSerializer();

    @Test
    void an_event_survives_the_round_trip_and_names_its_type_in_headers() {
        FundsDeposited event = deposit();
        RecordHeaders headers = new RecordHeaders();

        byte[] bytes = serializer.serialize(Topics.LEDGER_EVENTS.name(), headers, event);

        assertEquals((byte) 0xC3, bytes[0], "single-object encoding marker");
        assertEquals((byte) 0x01, bytes[1], "single-object encoding version");
        assertEquals(event, new LedgerEventDeserializer().deserialize(Topics.LEDGER_EVENTS.name(), bytes));
        assertEquals("FundsDeposited", header(headers, EventHeaders.EVENT_TYPE));
        assertEquals("dev.tally.events.FundsDeposited", header(headers, EventHeaders.SCHEMA));
        assertEquals(LedgerEventSerializer.fingerprintHex(FundsDeposited.getClassSchema()),
                header(headers, EventHeaders.SCHEMA_FINGERPRINT));
    }

    @Test
    void a_reader_that_does_not_know_the_type_says_so_instead_of_misreading_it() {
        byte[] bytes = serializer.serialize(Topics.LEDGER_EVENTS.name(), deposit());
        LedgerEventDeserializer olderReader = new LedgerEventDeserializer(List.of(EventTypes.schemaOf("AccountOpened")));

        assertThrows(UnknownEventTypeException.class, () -> olderReader.deserialize(Topics.LEDGER_EVENTS.name(), bytes));
    }

    private static FundsDeposited deposit() {
        EventMeta meta = EventMeta.newBuilder()
                .setEventId("6f1c1f5e-0000-4000-8000-000000000001").setAccountId("acc-1").setSequence(2)
                .setOccurredAt(Instant.parse("2026-01-02T03:04:05.123456Z")).setCommandId("cmd-1")
                .setCorrelationId("cmd-1").setCausationId(null).setActor("alice").build();
        return FundsDeposited.newBuilder().setMeta(meta).setTransactionId("tx-1").setAmountMinor(3000)
                .setCurrency("USD").setBalanceAfterMinor(3000).setReference("salary")
                .setMetadata(Map.of("source", "payroll")).build();
    }

    private static String header(RecordHeaders headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
