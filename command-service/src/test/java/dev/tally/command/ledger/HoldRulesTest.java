package dev.tally.command.ledger;

import static dev.tally.command.ledger.DeciderSpecification.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.command.ledger.AccountCommand.CaptureHold;
import dev.tally.command.ledger.AccountCommand.CloseAccount;
import dev.tally.command.ledger.AccountCommand.ExpireHold;
import dev.tally.command.ledger.AccountCommand.PlaceHold;
import dev.tally.command.ledger.AccountCommand.ReleaseHold;
import dev.tally.command.ledger.AccountCommand.WithdrawFunds;
import dev.tally.command.ledger.AccountEvent.AccountFrozen;
import dev.tally.command.ledger.AccountEvent.AccountOpened;
import dev.tally.command.ledger.AccountEvent.FundsDeposited;
import dev.tally.command.ledger.AccountEvent.FundsHeld;
import dev.tally.command.ledger.AccountEvent.FundsWithdrawn;
import dev.tally.command.ledger.AccountEvent.HoldCaptured;
import dev.tally.command.ledger.AccountEvent.HoldExpired;
import dev.tally.command.ledger.AccountEvent.HoldReleased;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Holds: reserve, capture (all or part, as a withdrawal), release, expire; a hold id once per account. */
class HoldRulesTest {

    private static final Asset USD = Asset.of("USD").orElseThrow();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant EXPIRES = T0.plus(Duration.ofHours(1));
    private static final AccountOpened OPENED = new AccountOpened("alice", USD, 0, Map.of());
    private static final FundsDeposited HUNDRED = new FundsDeposited("d1", 10_000, 10_000, null, Map.of());
    private static final FundsHeld HOLD_60 = new FundsHeld("h1", 6_000, EXPIRES, 6_000, "card 42", Map.of("shop", "s1"));

    private static CommandContext at(Instant time) {
        return CommandContext.direct("c-" + time.toEpochMilli(), "alice-usd", time, "teller", "c", null);
    }

    private static PlaceHold place(String holdId, String amount) {
        return new PlaceHold(at(T0), holdId, amount, EXPIRES, null, Map.of(), null);
    }

    @Test
    void a_hold_reserves_available_money_and_leaves_the_balance() {
        given(OPENED, HUNDRED).when(new PlaceHold(at(T0), "h1", "60.00", EXPIRES, "card 42", Map.of("shop", "s1"), null))
                .then(HOLD_60);
    }

    @Test
    void a_hold_needs_available_money_not_just_balance() {
        given(OPENED, HUNDRED, HOLD_60).when(place("h2", "40.01")).thenRejected("insufficient-funds");
        given(OPENED, HUNDRED, HOLD_60).when(place("h2", "40.00"))
                .then(new FundsHeld("h2", 4_000, EXPIRES, 10_000, null, Map.of()));
    }

    @Test
    void withdrawals_and_transfers_respect_held_money() {
        given(OPENED, HUNDRED, HOLD_60).when(new WithdrawFunds(at(T0), "w1", "40.01", null, Map.of()))
                .thenRejected("insufficient-funds");
        given(OPENED, HUNDRED, HOLD_60).when(new AccountCommand.SendTransfer(at(T0), "t1", "bob-usd", "40.01", null,
                Map.of(), null)).thenRejected("insufficient-funds");
    }

    @Test
    void a_hold_id_is_used_once_per_account_even_after_it_closed() {
        given(OPENED, HUNDRED, HOLD_60).when(place("h1", "1.00")).thenRejected("hold-exists");
        given(OPENED, HUNDRED).when(place("h1", "1.00").withKnown(Hold.Status.RELEASED)).thenRejected("hold-exists");
    }

    @Test
    void a_hold_must_expire_after_it_is_placed() {
        given(OPENED, HUNDRED).when(new PlaceHold(at(T0), "h1", "1.00", T0, null, Map.of(), null))
                .thenInvalid("expiresIn");
    }

    @Test
    void a_full_capture_closes_the_hold_then_withdraws() {
        given(OPENED, HUNDRED, HOLD_60).when(new CaptureHold(at(T0), "h1", null, "tx-1", null))
                .then(new HoldCaptured("h1", 6_000, 0, 0, "tx-1"),
                        new FundsWithdrawn("tx-1", 6_000, 4_000, "card 42", Map.of("shop", "s1")));
    }

    @Test
    void a_partial_capture_releases_the_rest() {
        given(OPENED, HUNDRED, HOLD_60).when(new CaptureHold(at(T0), "h1", "25.00", "tx-1", null))
                .then(new HoldCaptured("h1", 2_500, 3_500, 0, "tx-1"),
                        new FundsWithdrawn("tx-1", 2_500, 7_500, "card 42", Map.of("shop", "s1")));
    }

    @Test
    void a_capture_cannot_take_more_than_the_hold() {
        given(OPENED, HUNDRED, HOLD_60).when(new CaptureHold(at(T0), "h1", "60.01", "tx-1", null))
                .thenInvalid("amount");
    }

    @Test
    void a_hold_captures_once() {
        given(OPENED, HUNDRED, HOLD_60, new HoldCaptured("h1", 6_000, 0, 0, "tx-1"),
                new FundsWithdrawn("tx-1", 6_000, 4_000, null, Map.of()))
                .when(new CaptureHold(at(T0), "h1", null, "tx-2", Hold.Status.CAPTURED)).thenRejected("hold-not-open");
    }

    @Test
    void an_unknown_hold_is_not_found_and_a_closed_one_is_not_open() {
        given(OPENED, HUNDRED).when(new CaptureHold(at(T0), "nope", null, "tx", null)).thenRejected("hold-not-found");
        given(OPENED, HUNDRED).when(new ReleaseHold(at(T0), "nope", null, null)).thenRejected("hold-not-found");
        given(OPENED, HUNDRED).when(new ReleaseHold(at(T0), "h1", null, Hold.Status.EXPIRED)).thenRejected("hold-not-open");
    }

    @Test
    void a_due_hold_can_no_longer_be_captured() {
        given(OPENED, HUNDRED, HOLD_60).when(new CaptureHold(at(EXPIRES), "h1", null, "tx", null))
                .thenRejected("hold-not-open");
    }

    @Test
    void release_gives_the_money_back() {
        given(OPENED, HUNDRED, HOLD_60).when(new ReleaseHold(at(T0), "h1", "cancelled", null))
                .then(new HoldReleased("h1", 6_000, 0, "cancelled"));
    }

    @Test
    void expiry_releases_only_an_open_hold_at_or_after_its_time() {
        given(OPENED, HUNDRED, HOLD_60).when(new ExpireHold(at(EXPIRES), "h1"))
                .then(new HoldExpired("h1", 6_000, 0, EXPIRES));
        given(OPENED, HUNDRED, HOLD_60).when(new ExpireHold(at(EXPIRES.minusMillis(1)), "h1"))
                .thenRejected("hold-not-open");
        given(OPENED, HUNDRED, HOLD_60, new HoldReleased("h1", 6_000, 0, null)).when(new ExpireHold(at(EXPIRES), "h1"))
                .thenRejected("hold-not-open");
    }

    @Test
    void a_frozen_account_keeps_its_holds_but_cannot_capture_or_hold_more() {
        given(OPENED, HUNDRED, HOLD_60, new AccountFrozen("fraud")).when(new CaptureHold(at(T0), "h1", null, "tx", null))
                .thenRejected("account-frozen");
        given(OPENED, HUNDRED, HOLD_60, new AccountFrozen("fraud")).when(place("h2", "1.00"))
                .thenRejected("account-frozen");
        given(OPENED, HUNDRED, HOLD_60, new AccountFrozen("fraud")).when(new ReleaseHold(at(T0), "h1", null, null))
                .then(new HoldReleased("h1", 6_000, 0, null));
    }

    @Test
    void an_account_with_open_holds_cannot_close() {
        AccountOpened overdraft = new AccountOpened("alice", USD, 5_000, Map.of());
        // A zero balance is not enough: the hold on the overdraft would be left without an account.
        given(overdraft, new FundsHeld("h1", 1_000, EXPIRES, 1_000, null, Map.of()))
                .when(new CloseAccount(at(T0))).thenRejected("balance-not-zero");
    }

    @Test
    void a_customer_cannot_hold_capture_or_release_on_another_owners_account() {
        CommandContext mallory = CommandContext.direct("c-m", "alice-usd", T0, "mallory", "c-m", null, "mallory");
        given(OPENED, HUNDRED).when(new PlaceHold(mallory, "h9", "1.00", EXPIRES, null, Map.of(), null))
                .thenRejected("account-not-found");
        given(OPENED, HUNDRED, HOLD_60).when(new CaptureHold(mallory, "h1", null, "tx", null))
                .thenRejected("account-not-found");
        given(OPENED, HUNDRED, HOLD_60).when(new ReleaseHold(mallory, "h1", null, null))
                .thenRejected("account-not-found");
        CommandContext alice = CommandContext.direct("c-a", "alice-usd", T0, "alice", "c-a", null, "alice");
        given(OPENED, HUNDRED, HOLD_60).when(new ReleaseHold(alice, "h1", null, null))
                .then(new HoldReleased("h1", 6_000, 0, null));
    }

    @Test
    void evolve_tracks_held_and_available() {
        AccountState state = AccountDecider.INITIAL;
        for (AccountEvent event : List.of(OPENED, HUNDRED, HOLD_60, new FundsHeld("h2", 1_000, EXPIRES, 7_000, null, Map.of()),
                new HoldCaptured("h1", 2_500, 3_500, 1_000, "tx-1"), new FundsWithdrawn("tx-1", 2_500, 7_500, null, Map.of()))) {
            state = AccountDecider.evolve(state, event);
        }
        Account account = AccountDecider.accountOf(state);
        assertEquals(7_500, account.balanceMinor());
        assertEquals(1_000, account.heldMinor());
        assertEquals(6_500, account.availableMinor());
        assertEquals(6, account.version());
    }
}
