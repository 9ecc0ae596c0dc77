package dev.tally.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.projection.accounts.AccountRow;
import dev.tally.projection.accounts.AccountsProjection;
import dev.tally.projection.audit.AuditProjection;
import dev.tally.projection.daily.DailyBalancesProjection;
import dev.tally.projection.daily.DailyBalancesProjection.DayRow;
import dev.tally.projection.history.AccountHistoryProjection;
import dev.tally.projection.holds.HoldRow;
import dev.tally.projection.holds.HoldsProjection;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.statements.EntryRow;
import dev.tally.projection.statements.StatementsProjection;
import dev.tally.projection.transfers.TransfersProjection;
import dev.tally.projection.transfers.TransfersProjection.TransferStep;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every read model as given(events) / then(rows), without a database. */
class ReadModelsTest {

    private static final Instant DAY1_MORNING = Instant.parse("2026-11-22T08:00:00Z");
    private static final Instant DAY1_EVENING = Instant.parse("2026-11-22T20:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-23T10:00:00Z");

    private final GivenEvents alice = new GivenEvents("alice");

    @Test
    void given_an_opening_movements_and_a_freeze_then_the_account_row_shows_the_last_of_each() {
        var rows = AccountsProjection.apply(Map.of(), List.of(alice.opened(DAY1_MORNING),
                alice.deposited(2, 5000, 5000, DAY1_MORNING), alice.debited(3, "t-1", "bob", 2000, 3000, DAY1_EVENING),
                alice.frozen(4, DAY2)));

        assertEquals(new AccountRow("alice", "alice", "USD", 2, 3000, 0, 0, "FROZEN", 4, Map.of("tier", "gold"),
                DAY1_MORNING, DAY2), rows.get("alice"));
    }

    @Test
    void given_movements_then_signed_statement_lines_with_running_balance_and_counterparty() {
        List<EntryRow> lines = StatementsProjection.entries(List.of(alice.opened(DAY1_MORNING),
                alice.deposited(2, 5000, 5000, DAY1_MORNING), alice.debited(3, "t-1", "bob", 2000, 3000, DAY1_EVENING),
                alice.refunded(4, "t-1", "bob", 2000, 5000, DAY2), alice.frozen(5, DAY2)));

        assertEquals(3, lines.size(), "no line for the opening or the freeze");
        assertEquals(List.of("DEPOSIT", 5000L, 5000L), List.of(lines.get(0).type(), lines.get(0).amountMinor(),
                lines.get(0).balanceAfterMinor()));
        assertEquals(List.of("TRANSFER_OUT", -2000L, "bob", "t-1"), List.of(lines.get(1).type(),
                lines.get(1).amountMinor(), lines.get(1).counterpartyAccountId(), lines.get(1).transferId()));
        assertEquals(List.of("TRANSFER_REFUND", 2000L, 5000L, Map.of("refundReason", "account-closed")),
                List.of(lines.get(2).type(), lines.get(2).amountMinor(), lines.get(2).balanceAfterMinor(),
                        lines.get(2).metadata()));
    }

    @Test
    void given_events_then_one_history_row_per_event_each_the_account_as_it_then_stood() {
        List<AccountRow> history = AccountHistoryProjection.rows(Map.of(), List.of(alice.opened(DAY1_MORNING),
                alice.deposited(2, 5000, 5000, DAY1_EVENING), alice.withdrawn(3, 1000, 4000, DAY2)));

        assertEquals(List.of(0L, 5000L, 4000L), history.stream().map(AccountRow::balanceMinor).toList());
        assertEquals(List.of(DAY1_MORNING, DAY1_EVENING, DAY2), history.stream().map(AccountRow::updatedAt).toList());
    }

    @Test
    void given_movements_over_two_days_then_each_day_opens_where_the_last_closed() {
        var days = DailyBalancesProjection.apply(Map.of(), List.of(alice.opened(DAY1_MORNING),
                alice.deposited(2, 5000, 5000, DAY1_MORNING), alice.withdrawn(3, 1000, 4000, DAY1_EVENING),
                alice.deposited(4, 500, 4500, DAY2)));

        assertEquals(List.of(new DayRow("alice", LocalDate.parse("2026-11-22"), 0, 4000, 5000, 1000, 2),
                new DayRow("alice", LocalDate.parse("2026-11-23"), 4000, 4500, 500, 0, 1)), List.copyOf(days.values()));
    }

    @Test
    void given_a_day_that_starts_with_a_withdrawal_then_it_opens_at_the_balance_before_even_minus_one_or_unknown() {
        GivenEvents overdrawn = new GivenEvents("overdrawn");
        GivenEvents unknown = new GivenEvents("unknown");

        var days = DailyBalancesProjection.apply(Map.of(), List.of(overdrawn.withdrawn(5, 1, -2, -1L, DAY2),
                unknown.withdrawn(5, 300, -200, null, DAY2)));

        assertEquals(List.of(new DayRow("overdrawn", LocalDate.parse("2026-11-23"), -1, -2, 0, 1, 1),
                new DayRow("unknown", LocalDate.parse("2026-11-23"), 100, -200, 0, 300, 1)), List.copyOf(days.values()));
    }

    @Test
    void given_a_stored_day_then_more_movements_that_day_extend_it() {
        DayRow stored = new DayRow("alice", LocalDate.parse("2026-11-23"), 100, 200, 100, 0, 1);

        var days = DailyBalancesProjection.apply(Map.of("alice\u00002026-11-23", stored),
                List.of(alice.withdrawn(5, 50, 150, DAY2)));

        assertEquals(new DayRow("alice", LocalDate.parse("2026-11-23"), 100, 150, 100, 50, 2),
                days.values().iterator().next());
    }

    @Test
    void given_transfer_steps_then_each_names_both_sides_and_its_status() {
        GivenEvents bob = new GivenEvents("bob");
        List<TransferStep> steps = TransfersProjection.steps(List.of(alice.debited(3, "t-1", "bob", 2000, 3000, DAY1_EVENING),
                bob.credited(2, "t-1", "alice", 2000, 2000, DAY2), alice.deposited(4, 1, 3001, DAY2)));

        assertEquals(2, steps.size());
        assertEquals(List.of("PENDING", "alice", "bob"), List.of(steps.get(0).status(), steps.get(0).fromAccountId(),
                steps.get(0).toAccountId()));
        assertEquals(List.of("COMPLETED", "alice", "bob", DAY2), List.of(steps.get(1).status(),
                steps.get(1).fromAccountId(), steps.get(1).toAccountId(), steps.get(1).completedAt()));
    }

    @Test
    void given_a_reversal_then_its_steps_lines_and_audit_details_name_the_transfer_it_reverses() {
        GivenEvents bob = new GivenEvents("bob");
        List<ProjectedEvent> events = List.of(bob.debited(3, "rev-1", "alice", 500, 1500, DAY2, "t-1"),
                alice.credited(4, "rev-1", "bob", 500, 3500, DAY2, "t-1"), alice.debited(5, "t-2", "bob", 1, 3499, DAY2));

        assertEquals(Arrays.asList("t-1", "t-1", null),
                TransfersProjection.steps(events).stream().map(TransferStep::reversalOf).toList());
        assertEquals(Arrays.asList("t-1", "t-1", null),
                StatementsProjection.entries(events).stream().map(EntryRow::reversalOf).toList());
        assertEquals("t-1", AuditProjection.details(events.get(0)).get("reversalOf"));
        assertEquals("t-1", AuditProjection.details(events.get(1)).get("reversalOf"));
        assertTrue(!AuditProjection.details(events.get(2)).containsKey("reversalOf"));
    }

    @Test
    void given_an_event_then_the_audit_details_hold_its_facts_but_not_its_envelope() {
        Map<String, String> details = AuditProjection.details(alice.debited(3, "t-1", "bob", 2000, 3000, DAY2));

        assertEquals("t-1", details.get("transferId"));
        assertEquals("2000", details.get("amountMinor"));
        assertTrue(!details.containsKey("meta"));
    }

    @Test
    void given_a_hold_placed_then_the_balance_stays_and_held_grows_so_available_shrinks() {
        var rows = AccountsProjection.apply(Map.of(), List.of(alice.opened(DAY1_MORNING),
                alice.deposited(2, 5000, 5000, DAY1_MORNING), alice.held(3, "h-1", 2000, 2000, DAY2, DAY1_EVENING)));

        AccountRow row = rows.get("alice");
        assertEquals(List.of(5000L, 2000L, 3000L, 3L), List.of(row.balanceMinor(), row.heldMinor(),
                row.availableMinor(), row.version()));
    }

    @Test
    void given_a_capture_then_held_drops_at_once_and_the_withdrawal_after_it_moves_the_money() {
        var afterCapture = AccountsProjection.apply(Map.of(), List.of(alice.opened(DAY1_MORNING),
                alice.deposited(2, 5000, 5000, DAY1_MORNING), alice.held(3, "h-1", 2000, 2000, DAY2, DAY1_MORNING),
                alice.captured(4, "h-1", 1500, 500, 0, DAY1_EVENING)));
        var afterWithdrawal = AccountsProjection.apply(afterCapture, List.of(alice.withdrawn(5, 1500, 3500, DAY1_EVENING)));

        assertEquals(List.of(5000L, 0L), List.of(afterCapture.get("alice").balanceMinor(),
                afterCapture.get("alice").heldMinor()));
        assertEquals(List.of(3500L, 0L, 3500L), List.of(afterWithdrawal.get("alice").balanceMinor(),
                afterWithdrawal.get("alice").heldMinor(), afterWithdrawal.get("alice").availableMinor()));
    }

    @Test
    void given_holds_then_each_hold_row_follows_its_life_and_hold_events_make_no_statement_line() {
        var events = List.of(alice.opened(DAY1_MORNING), alice.held(2, "a", 100, 100, DAY2, DAY1_MORNING),
                alice.held(3, "b", 200, 300, DAY2, DAY1_MORNING), alice.held(4, "c", 300, 600, DAY2, DAY1_MORNING),
                alice.captured(5, "a", 60, 40, 500, DAY1_EVENING), alice.released(6, "b", 200, 300, DAY1_EVENING),
                alice.expired(7, "c", 300, 0, DAY2, DAY2));

        Map<String, HoldRow> holds = HoldsProjection.apply(Map.of(), events);

        assertEquals(List.of("a:CAPTURED:60:40:tx-6", "b:RELEASED:null:200:null", "c:EXPIRED:null:300:null"),
                holds.values().stream().map(h -> h.holdId() + ":" + h.status() + ":" + h.capturedMinor() + ":"
                        + h.releasedMinor() + ":" + h.transactionId()).toList());
        assertEquals(List.of(DAY1_EVENING, DAY1_EVENING, DAY2), holds.values().stream().map(HoldRow::closedAt).toList());
        assertEquals(List.of(), StatementsProjection.entries(events));
        assertEquals(List.of(), TransfersProjection.steps(events));
        assertEquals(Map.of(), DailyBalancesProjection.apply(Map.of(), events));
    }
}
