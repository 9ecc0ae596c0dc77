package dev.tally.projection.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferRefunded;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AccountsProjectionTest {

    private static final Instant T1 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-23T10:05:00Z");
    private static final Instant T3 = Instant.parse("2026-11-23T10:10:00Z");

    @Test
    void given_an_opening_a_deposit_and_a_withdrawal_then_one_account_row_and_two_signed_entries() {
        var changes = AccountsProjection.apply(Map.of(), List.of(opened(T1), deposited(2, 3000, 3000, T2),
                withdrawn(3, 2000, 1000, T3)));

        AccountRow alice = changes.accounts().get("alice");
        assertEquals(new AccountRow("alice", "alice", "USD", 2, 1000, 0, "OPEN", 3, Map.of("tier", "gold"), T1, T3),
                alice);
        assertEquals(2, changes.entries().size());
        EntryRow deposit = changes.entries().get(0);
        EntryRow withdrawal = changes.entries().get(1);
        assertEquals(List.of("DEPOSIT", 2L, 3000L, 3000L), List.of(deposit.type(), deposit.sequence(),
                deposit.amountMinor(), deposit.balanceAfterMinor()));
        assertEquals(List.of("WITHDRAWAL", 3L, -2000L, 1000L), List.of(withdrawal.type(), withdrawal.sequence(),
                withdrawal.amountMinor(), withdrawal.balanceAfterMinor()));
        assertEquals("teller", withdrawal.actor());
        assertEquals("tx-3", withdrawal.transactionId());
    }

    @Test
    void given_events_the_rows_already_contain_then_nothing_changes() {
        AccountRow current = new AccountRow("alice", "alice", "USD", 2, 3000, 0, "OPEN", 2, Map.of(), T1, T2);

        var changes = AccountsProjection.apply(Map.of("alice", current), List.of(opened(T1), deposited(2, 3000, 3000, T2)));

        assertTrue(changes.accounts().isEmpty());
        assertTrue(changes.entries().isEmpty());
    }

    @Test
    void given_a_gap_in_an_accounts_sequence_then_the_batch_is_refused() {
        assertThrows(IllegalStateException.class,
                () -> AccountsProjection.apply(Map.of(), List.of(opened(T1), withdrawn(3, 100, -100, T2))));
    }

    @Test
    void given_money_moving_on_an_account_never_opened_then_the_batch_is_refused() {
        assertThrows(IllegalStateException.class,
                () -> AccountsProjection.apply(Map.of(), List.of(deposited(1, 100, 100, T1))));
    }

    @Test
    void given_transfer_steps_then_signed_entries_naming_the_counterparty_and_a_status_that_follows_freezing() {
        var changes = AccountsProjection.apply(Map.of(), List.of(opened(T1), deposited(2, 5000, 5000, T1),
                TransferDebited.newBuilder().setMeta(meta(3, T2)).setTransferId("t-1").setToAccountId("bob")
                        .setAmountMinor(2000).setCurrency("USD").setBalanceAfterMinor(3000).setReference("rent")
                        .setMetadata(Map.of()).build(),
                TransferRefunded.newBuilder().setMeta(meta(4, T2)).setTransferId("t-1").setToAccountId("bob")
                        .setAmountMinor(2000).setCurrency("USD").setBalanceAfterMinor(5000)
                        .setReasonCode("account-closed").setReasonDetail(null).build(),
                AccountFrozen.newBuilder().setMeta(meta(5, T3)).setReason("audit").build()));

        AccountRow alice = changes.accounts().get("alice");
        assertEquals(List.of(5000L, "FROZEN", 5L), List.of(alice.balanceMinor(), alice.status(), alice.version()));
        EntryRow out = changes.entries().get(1);
        EntryRow back = changes.entries().get(2);
        assertEquals(List.of("TRANSFER_OUT", -2000L, "bob", "t-1"), List.of(out.type(), out.amountMinor(),
                out.counterpartyAccountId(), out.transferId()));
        assertEquals(List.of("TRANSFER_REFUND", 2000L, 5000L), List.of(back.type(), back.amountMinor(),
                back.balanceAfterMinor()));
    }

    private static EventMeta meta(long sequence, Instant at) {
        return EventMeta.newBuilder().setEventId("e-" + sequence).setAccountId("alice").setSequence(sequence)
                .setOccurredAt(at).setCommandId("c-" + sequence).setCorrelationId("c-" + sequence)
                .setCausationId(null).setActor("teller").build();
    }

    private static SpecificRecord opened(Instant at) {
        return AccountOpened.newBuilder().setMeta(meta(1, at)).setOwner("alice").setCurrency("USD").setScale(2)
                .setOverdraftLimitMinor(0).setMetadata(Map.of("tier", "gold")).build();
    }

    private static SpecificRecord deposited(long sequence, long amount, long balanceAfter, Instant at) {
        return FundsDeposited.newBuilder().setMeta(meta(sequence, at)).setTransactionId("tx-" + sequence)
                .setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter).setReference(null)
                .setMetadata(Map.of()).build();
    }

    private static SpecificRecord withdrawn(long sequence, long amount, long balanceAfter, Instant at) {
        return FundsWithdrawn.newBuilder().setMeta(meta(sequence, at)).setTransactionId("tx-" + sequence)
                .setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter).setReference(null)
                .setMetadata(Map.of()).build();
    }
}
