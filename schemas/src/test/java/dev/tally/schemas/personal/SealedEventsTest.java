package dev.tally.schemas.personal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.LedgerEventSerializer;
import dev.tally.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Whole events sealed and revealed: personal fields only, facts in clear, the bytes on the topic without the text. */
class SealedEventsTest {

    private final SubjectKey key = SubjectKey.generate();

    @Test
    void a_deposit_sealed_keeps_its_money_in_clear_and_its_reference_and_metadata_values_hidden() {
        FundsDeposited deposit = FundsDeposited.newBuilder().setMeta(meta("e-1")).setTransactionId("tx-1")
                .setAmountMinor(2_000).setCurrency("EUR").setBalanceAfterMinor(5_000).setReference("Rent, Jane Doe")
                .setMetadata(Map.of("payer", "Jane Doe")).setReversalOf(null).build();
        FundsDeposited sealed = SealedEvents.seal(deposit, key);

        assertTrue(SealedText.isSealed(sealed.getReference().toString()));
        assertTrue(SealedText.isSealed(sealed.getMetadata().get("payer").toString()));
        assertEquals(2_000, sealed.getAmountMinor());
        assertEquals(5_000, sealed.getBalanceAfterMinor());
        assertEquals("tx-1", sealed.getTransactionId().toString());
        assertEquals("Rent, Jane Doe", deposit.getReference().toString(), "the event passed in is left as it was");

        byte[] onTheTopic = new LedgerEventSerializer().serialize(Topics.LEDGER_EVENTS.name(), new RecordHeaders(), sealed);
        assertFalse(new String(onTheTopic, StandardCharsets.ISO_8859_1).contains("Jane"), "no clear text in the record's bytes");

        SpecificRecord read = new LedgerEventDeserializer().deserialize(Topics.LEDGER_EVENTS.name(), onTheTopic);
        FundsDeposited revealed = SealedEvents.reveal((FundsDeposited) read, id -> Optional.of(key));
        assertEquals("Rent, Jane Doe", revealed.getReference().toString());
        assertEquals("Jane Doe", revealed.getMetadata().get("payer").toString());
        FundsDeposited forgotten = SealedEvents.reveal((FundsDeposited) read, id -> Optional.empty());
        assertEquals(PersonalDataCipher.ERASED, forgotten.getReference().toString());
        assertEquals(PersonalDataCipher.ERASED, forgotten.getMetadata().get("payer").toString());
        assertEquals(2_000, forgotten.getAmountMinor());
    }

    @Test
    void the_owner_stays_in_clear_and_metadata_keys_too_while_reasons_are_sealed() {
        AccountOpened opened = AccountOpened.newBuilder().setMeta(meta("e-0")).setOwner("cust-7f3a").setCurrency("EUR")
                .setScale(2).setOverdraftLimitMinor(0).setMetadata(Map.of("segment", "private banking")).build();
        AccountOpened sealedOpened = SealedEvents.seal(opened, key);
        assertEquals("cust-7f3a", sealedOpened.getOwner().toString());
        assertTrue(sealedOpened.getMetadata().containsKey("segment"));
        assertTrue(SealedText.isSealed(sealedOpened.getMetadata().get("segment").toString()));

        AccountFrozen frozen = AccountFrozen.newBuilder().setMeta(meta("e-9")).setReason("court order against Jane Doe").build();
        assertTrue(SealedText.isSealed(SealedEvents.seal(frozen, key).getReason().toString()));
        AccountFrozen noReason = AccountFrozen.newBuilder().setMeta(meta("e-10")).setReason(null).build();
        assertEquals(null, SealedEvents.seal(noReason, key).getReason());
    }

    @Test
    void sealing_twice_seals_once_and_plain_events_from_before_read_as_they_are() {
        FundsDeposited deposit = FundsDeposited.newBuilder().setMeta(meta("e-2")).setTransactionId("tx-2")
                .setAmountMinor(1).setCurrency("EUR").setBalanceAfterMinor(1).setReference("old style").setMetadata(Map.of())
                .setReversalOf(null).build();
        FundsDeposited once = SealedEvents.seal(deposit, key);
        assertEquals(once.getReference().toString(), SealedEvents.seal(once, key).getReference().toString());
        assertEquals("old style", SealedEvents.reveal(deposit, id -> Optional.empty()).getReference().toString());
    }

    @Test
    void an_event_without_text_has_nothing_to_seal() {
        FundsDeposited bare = FundsDeposited.newBuilder().setMeta(meta("e-9")).setTransactionId("tx-9")
                .setAmountMinor(100).setCurrency("EUR").setBalanceAfterMinor(100).setReference(null)
                .setMetadata(Map.of()).setReversalOf(null).build();
        assertFalse(SealedEvents.hasPersonalText(bare));
        bare.setMetadata(Map.of("k", "v"));
        assertTrue(SealedEvents.hasPersonalText(bare));
        bare.setMetadata(Map.of());
        bare.setReference("");
        assertTrue(SealedEvents.hasPersonalText(bare), "an empty reference is still a value the client sent");
    }

    private static EventMeta meta(String eventId) {
        return EventMeta.newBuilder().setEventId(eventId).setAccountId("acc-1").setSequence(1)
                .setOccurredAt(Instant.parse("2026-12-05T12:00:00Z")).setCommandId("c-" + eventId)
                .setCorrelationId("c-" + eventId).setCausationId(null).setActor("teller-1").setIdempotencyKey(null)
                .setRequestHash(null).build();
    }
}
