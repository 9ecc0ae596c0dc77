package dev.tally.examples.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFormatterTest {

    private final EventFormatter formatter = new EventFormatter();

    @Test
    void a_deposit_reads_as_type_account_sequence_and_amounts_in_the_currency_scale() {
        assertEquals("2026-01-02T03:04:05.123456Z alice #2 FundsDeposited: +30.00 USD, balance 1234.05 USD, "
                        + "transaction tx-1, reference salary, metadata {source=payroll} (by teller-9)",
                formatter.describe(deposit("alice", 2, 3_000, 123_405, "USD")));
    }

    @Test
    void amounts_follow_the_scale_the_account_was_opened_with_even_for_an_asset_that_is_no_currency() {
        formatter.describe(opened("wallet", "CREDITS", 0));

        assertEquals("2026-01-02T03:04:05.123456Z wallet #2 FundsDeposited: +3000 CREDITS, balance 123405 CREDITS, "
                + "transaction tx-1, reference salary, metadata {source=payroll} (by teller-9)",
                formatter.describe(deposit("wallet", 2, 3_000, 123_405, "CREDITS")));
    }

    @Test
    void a_currency_with_three_decimals_shows_three_and_one_with_none_shows_none() {
        assertEquals("+3.000 BHD, balance 123.405 BHD", amounts(formatter.describe(deposit("a", 2, 3_000, 123_405, "BHD"))));
        assertEquals("+3000 JPY, balance 123405 JPY", amounts(formatter.describe(deposit("b", 2, 3_000, 123_405, "JPY"))));
    }

    @Test
    void an_unknown_asset_of_an_account_whose_opening_was_not_seen_shows_minor_units_rather_than_a_guess() {
        assertEquals("+3000 minor units of GEMS, balance 123405 minor units of GEMS",
                amounts(formatter.describe(deposit("c", 2, 3_000, 123_405, "GEMS"))));
    }

    @Test
    void an_opening_and_a_refund_say_what_happened() {
        assertEquals("2026-01-02T03:04:05.123456Z alice #1 AccountOpened: owner alice, EUR (scale 2), "
                + "overdraft limit 50.00 EUR (by teller-9)", formatter.describe(opened("alice", "EUR", 2)));
        TransferRefunded refund = TransferRefunded.newBuilder().setMeta(meta("alice", 8)).setTransferId("t-2")
                .setToAccountId("carol").setAmountMinor(700).setCurrency("EUR").setBalanceAfterMinor(8_845)
                .setReasonCode("currency-mismatch").setReasonDetail("carol holds USD").build();
        assertEquals("2026-01-02T03:04:05.123456Z alice #8 TransferRefunded: +7.00 EUR back, carol refused "
                + "(currency-mismatch: carol holds USD), balance 88.45 EUR, transfer t-2 (by teller-9)", formatter.describe(refund));
    }

    @Test
    void a_hold_says_what_is_held_and_each_way_it_closes_says_what_came_free() {
        formatter.describe(opened("alice", "USD", 2));
        Instant expires = Instant.parse("2026-01-09T03:04:05Z");
        assertEquals("2026-01-02T03:04:05.123456Z alice #2 FundsHeld: 30.00 USD held by hold h-1 until "
                + "2026-01-09T03:04:05Z, held 30.00 USD, reference hotel (by teller-9)", formatter.describe(
                FundsHeld.newBuilder().setMeta(meta("alice", 2)).setHoldId("h-1").setAmountMinor(3_000).setCurrency("USD")
                        .setExpiresAt(expires).setHeldAfterMinor(3_000).setReference("hotel").setMetadata(Map.of()).build()));
        assertEquals("2026-01-02T03:04:05.123456Z alice #3 HoldCaptured: hold h-1 captured 25.00 USD (withdrawn as "
                + "transaction tx-9), released 5.00 USD, held 0.00 USD (by teller-9)", formatter.describe(
                HoldCaptured.newBuilder().setMeta(meta("alice", 3)).setHoldId("h-1").setCapturedMinor(2_500)
                        .setReleasedMinor(500).setCurrency("USD").setHeldAfterMinor(0).setTransactionId("tx-9").build()));
        assertEquals("2026-01-02T03:04:05.123456Z alice #5 HoldReleased: hold h-2 released 1.00 USD: changed mind, "
                + "held 0.00 USD (by teller-9)", formatter.describe(HoldReleased.newBuilder().setMeta(meta("alice", 5))
                .setHoldId("h-2").setReleasedMinor(100).setCurrency("USD").setHeldAfterMinor(0).setReason("changed mind")
                .build()));
        assertEquals("2026-01-02T03:04:05.123456Z alice #7 HoldExpired: hold h-3 expired at 2026-01-09T03:04:05Z, "
                + "released 2.00 USD, held 0.00 USD (by teller-9)", formatter.describe(HoldExpired.newBuilder()
                .setMeta(meta("alice", 7)).setHoldId("h-3").setReleasedMinor(200).setCurrency("USD").setHeldAfterMinor(0)
                .setExpiresAt(expires).build()));
    }

    @Test
    void a_two_phase_transfer_says_what_is_reserved_and_how_its_reservation_ends() {
        formatter.describe(opened("alice", "USD", 2));
        Instant expires = Instant.parse("2026-01-09T03:04:05Z");
        assertEquals("2026-01-02T03:04:05.123456Z alice #2 TransferReserved: 30.00 USD reserved for bob until "
                + "2026-01-09T03:04:05Z, held 30.00 USD, transfer t-1, reference rent (by teller-9)", formatter.describe(
                TransferReserved.newBuilder().setMeta(meta("alice", 2)).setTransferId("t-1").setToAccountId("bob")
                        .setAmountMinor(3_000).setCurrency("USD").setExpiresAt(expires).setHeldAfterMinor(3_000)
                        .setReference("rent").setMetadata(Map.of()).build()));
        assertEquals("2026-01-02T03:04:05.123456Z alice #3 TransferPosted: transfer t-1 posted 25.00 USD to bob "
                + "(debited next), released 5.00 USD, held 0.00 USD (by teller-9)", formatter.describe(
                TransferPosted.newBuilder().setMeta(meta("alice", 3)).setTransferId("t-1").setToAccountId("bob")
                        .setPostedMinor(2_500).setReleasedMinor(500).setCurrency("USD").setHeldAfterMinor(0).build()));
        assertEquals("2026-01-02T03:04:05.123456Z alice #6 TransferVoided: transfer t-2 to bob voided: changed mind, "
                + "released 1.00 USD, held 2.00 USD (by teller-9)", formatter.describe(TransferVoided.newBuilder()
                .setMeta(meta("alice", 6)).setTransferId("t-2").setToAccountId("bob").setReleasedMinor(100)
                .setCurrency("USD").setHeldAfterMinor(200).setExpired(false).setReason("changed mind").build()));
        assertEquals("2026-01-02T03:04:05.123456Z alice #7 TransferVoided: transfer t-3 to bob expired, "
                + "released 2.00 USD, held 0.00 USD (by teller-9)", formatter.describe(TransferVoided.newBuilder()
                .setMeta(meta("alice", 7)).setTransferId("t-3").setToAccountId("bob").setReleasedMinor(200)
                .setCurrency("USD").setHeldAfterMinor(0).setExpired(true).setReason(null).build()));
    }

    @Test
    void a_reversal_says_which_transfer_it_moves_back_on_its_debit_and_its_credit_and_no_other_transfer_does() {
        formatter.describe(opened("alice", "USD", 2));
        formatter.describe(opened("bob", "USD", 2));
        assertEquals("2026-01-02T03:04:05.123456Z bob #4 TransferDebited: -20.00 USD to alice (in flight), balance "
                + "40.00 USD, transfer rev-1, reversal of t-1, reference wrong amount (by teller-9)", formatter.describe(
                TransferDebited.newBuilder().setMeta(meta("bob", 4)).setTransferId("rev-1").setToAccountId("alice")
                        .setAmountMinor(2_000).setCurrency("USD").setBalanceAfterMinor(4_000)
                        .setReference("wrong amount").setMetadata(Map.of()).setReversalOf("t-1").build()));
        assertEquals("2026-01-02T03:04:05.123456Z alice #5 TransferCredited: +20.00 USD from bob, balance "
                + "60.00 USD, transfer rev-1, reversal of t-1, reference wrong amount (by teller-9)", formatter.describe(
                TransferCredited.newBuilder().setMeta(meta("alice", 5)).setTransferId("rev-1").setFromAccountId("bob")
                        .setAmountMinor(2_000).setCurrency("USD").setBalanceAfterMinor(6_000)
                        .setReference("wrong amount").setMetadata(Map.of()).setReversalOf("t-1").build()));
        assertEquals("2026-01-02T03:04:05.123456Z alice #3 TransferDebited: -60.00 USD to bob (in flight), balance "
                + "40.00 USD, transfer t-1 (by teller-9)", formatter.describe(
                TransferDebited.newBuilder().setMeta(meta("alice", 3)).setTransferId("t-1").setToAccountId("bob")
                        .setAmountMinor(6_000).setCurrency("USD").setBalanceAfterMinor(4_000).setReference(null)
                        .setMetadata(Map.of()).setReversalOf(null).build()));
    }

    private static String amounts(String line) {
        return line.substring(line.indexOf(": ") + 2, line.indexOf(", transaction"));
    }

    private static AccountOpened opened(String account, String currency, int scale) {
        return AccountOpened.newBuilder().setMeta(meta(account, 1)).setOwner(account).setCurrency(currency)
                .setScale(scale).setOverdraftLimitMinor(5_000).setMetadata(Map.of()).build();
    }

    private static FundsDeposited deposit(String account, long sequence, long amount, long balance, String currency) {
        return FundsDeposited.newBuilder().setMeta(meta(account, sequence)).setTransactionId("tx-1")
                .setAmountMinor(amount).setCurrency(currency).setBalanceAfterMinor(balance).setReference("salary")
                .setMetadata(Map.of("source", "payroll")).build();
    }

    private static EventMeta meta(String account, long sequence) {
        return EventMeta.newBuilder().setEventId("e-" + account + "-" + sequence).setAccountId(account)
                .setSequence(sequence).setOccurredAt(Instant.parse("2026-01-02T03:04:05.123456Z"))
                .setCommandId("cmd").setCorrelationId("cmd").setActor("teller-9").build();
    }
}
