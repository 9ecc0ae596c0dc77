package dev.tally.schemas.personal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.schemas.LedgerEventSerializer;
import dev.tally.schemas.Topics;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** What a subscriber's deserializer hands out: clear text with the key, the marker once forgotten, the sealed text without keys. */
class RevealingLedgerEventDeserializerTest {

    private final SubjectKey key = SubjectKey.generate();
    private final RecordHeaders headers = new RecordHeaders();
    private final byte[] record = new LedgerEventSerializer().serialize(Topics.LEDGER_EVENTS.name(), headers,
            SealedEvents.seal(FundsDeposited.newBuilder().setMeta(meta()).setTransactionId("tx-1").setAmountMinor(2_000)
                    .setCurrency("EUR").setBalanceAfterMinor(2_000).setReference("Rent, Jane Doe")
                    .setMetadata(Map.of("payer", "Jane Doe")).setReversalOf(null).build(), key));

    @Test
    void with_the_key_the_text_comes_out_as_it_was_sent() {
        FundsDeposited read = read(new RevealingLedgerEventDeserializer(id -> Optional.of(key)));
        assertEquals("Rent, Jane Doe", read.getReference().toString());
        assertEquals("Jane Doe", read.getMetadata().get("payer").toString());
    }

    @Test
    void once_the_key_is_gone_the_text_reads_erased_and_the_money_stays() {
        FundsDeposited read = read(new RevealingLedgerEventDeserializer(id -> Optional.empty()));
        assertEquals(PersonalDataCipher.ERASED, read.getReference().toString());
        assertEquals(2_000, read.getAmountMinor());
    }

    @Test
    void without_a_master_key_a_subscriber_gets_the_sealed_text_and_no_error() {
        RevealingLedgerEventDeserializer plain = new RevealingLedgerEventDeserializer();
        plain.configure(Map.of("bootstrap.servers", "localhost:1"), false);
        FundsDeposited read = read(plain);
        assertTrue(SealedText.isSealed(read.getReference().toString()), read.getReference().toString());
        assertEquals(2_000, read.getAmountMinor());
        plain.close();
    }

    private FundsDeposited read(RevealingLedgerEventDeserializer deserializer) {
        return (FundsDeposited) deserializer.deserialize(Topics.LEDGER_EVENTS.name(), headers, record);
    }

    private static EventMeta meta() {
        return EventMeta.newBuilder().setEventId("e-1").setAccountId("acc-1").setSequence(2)
                .setOccurredAt(Instant.parse("2026-12-01T10:00:00Z")).setCommandId("c-1").setCorrelationId("c-1")
                .setCausationId(null).setActor("teller").setIdempotencyKey(null).setRequestHash(null).build();
    }
}
