package dev.tally.command.ledger;

import static dev.tally.command.ledger.DeciderSpecification.given;

import dev.tally.command.ledger.AccountCommand.CaptureHold;
import dev.tally.command.ledger.AccountCommand.CloseAccount;
import dev.tally.command.ledger.AccountCommand.ExpireHold;
import dev.tally.command.ledger.AccountCommand.PostTransfer;
import dev.tally.command.ledger.AccountCommand.ReleaseHold;
import dev.tally.command.ledger.AccountCommand.ReserveTransfer;
import dev.tally.command.ledger.AccountCommand.TargetAccount;
import dev.tally.command.ledger.AccountCommand.VoidTransfer;
import dev.tally.command.ledger.AccountCommand.WithdrawFunds;
import dev.tally.command.ledger.AccountEvent.AccountFrozen;
import dev.tally.command.ledger.AccountEvent.AccountOpened;
import dev.tally.command.ledger.AccountEvent.FundsDeposited;
import dev.tally.command.ledger.AccountEvent.TransferDebited;
import dev.tally.command.ledger.AccountEvent.TransferPosted;
import dev.tally.command.ledger.AccountEvent.TransferReserved;
import dev.tally.command.ledger.AccountEvent.TransferVoided;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The source account's side of a two-phase transfer: reserve, post (all or part), void, expire. */
class TwoPhaseRulesTest {

    private static final Asset USD = Asset.of("USD").orElseThrow();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant EXPIRES = T0.plus(Duration.ofHours(1));
    private static final AccountOpened OPENED = new AccountOpened("alice", USD, 0, Map.of());
    private static final FundsDeposited HUNDRED = new FundsDeposited("d1", 10_000, 10_000, null, Map.of());
    private static final TransferReserved RESERVED_60 = new TransferReserved("t1", "bob", 6_000, EXPIRES, 6_000,
            "invoice", Map.of("order", "o1"));

    private static CommandContext at(Instant time) {
        return CommandContext.direct("c-" + time.toEpochMilli(), "alice-usd", time, "teller", "c", null);
    }

    private static ReserveTransfer reserve(String transferId, String amount, TargetAccount target) {
        return new ReserveTransfer(at(T0), transferId, "bob", amount, EXPIRES, "invoice", Map.of("order", "o1"), target);
    }

    @Test
    void a_reservation_holds_available_money_and_moves_nothing() {
        given(OPENED, HUNDRED).when(reserve("t1", "60.00", null)).then(RESERVED_60);
        given(OPENED, HUNDRED).when(reserve("t1", "100.01", null)).thenRejected("insufficient-funds");
        given(OPENED, HUNDRED, RESERVED_60).when(new WithdrawFunds(at(T0), "w1", "40.01", null, Map.of()))
                .thenRejected("insufficient-funds");
    }

    @Test
    void a_reservation_checks_the_target_like_a_transfer_does() {
        given(OPENED, HUNDRED).when(reserve("t1", "1.00", new TargetAccount("USD", true))).thenRejected("account-closed");
        given(OPENED, HUNDRED).when(reserve("t1", "1.00", new TargetAccount("EUR", false)))
                .thenRejected("currency-mismatch");
        given(OPENED, HUNDRED, new AccountFrozen("review")).when(reserve("t1", "1.00", null))
                .thenRejected("account-frozen");
        given(OPENED, HUNDRED, RESERVED_60).when(reserve("t1", "1.00", null)).thenRejected("transfer-exists");
        given(OPENED, HUNDRED).when(new ReserveTransfer(at(T0), "t1", "bob", "1.00", T0, null, Map.of(), null))
                .thenRejected("validation");
    }

    @Test
    void a_post_closes_the_reservation_then_debits_what_it_posts() {
        given(OPENED, HUNDRED, RESERVED_60).when(new PostTransfer(at(T0), "t1", "45.00")).then(
                new TransferPosted("t1", "bob", 4_500, 1_500, 0),
                new TransferDebited("t1", "bob", 4_500, 5_500, "invoice", Map.of("order", "o1")));
        given(OPENED, HUNDRED, RESERVED_60).when(new PostTransfer(at(T0), "t1", null)).then(
                new TransferPosted("t1", "bob", 6_000, 0, 0),
                new TransferDebited("t1", "bob", 6_000, 4_000, "invoice", Map.of("order", "o1")));
    }

    @Test
    void a_post_is_refused_over_the_reservation_after_its_expiry_on_a_frozen_account_or_without_one() {
        given(OPENED, HUNDRED, RESERVED_60).when(new PostTransfer(at(T0), "t1", "60.01")).thenRejected("validation");
        given(OPENED, HUNDRED, RESERVED_60).when(new PostTransfer(at(EXPIRES), "t1", null))
                .thenRejected("transfer-not-reserved");
        given(OPENED, HUNDRED, RESERVED_60, new AccountFrozen("review")).when(new PostTransfer(at(T0), "t1", null))
                .thenRejected("account-frozen");
        given(OPENED, HUNDRED).when(new PostTransfer(at(T0), "t1", null)).thenRejected("transfer-not-reserved");
    }

    @Test
    void a_void_releases_the_reservation_even_on_a_frozen_account() {
        given(OPENED, HUNDRED, RESERVED_60, new AccountFrozen("review")).when(new VoidTransfer(at(T0), "t1", "no"))
                .then(new TransferVoided("t1", "bob", 6_000, 0, false, "no"));
        given(OPENED, HUNDRED, RESERVED_60, new TransferVoided("t1", "bob", 6_000, 0, false, null))
                .when(new VoidTransfer(at(T0), "t1", null)).thenRejected("transfer-not-reserved");
    }

    @Test
    void the_write_models_expiry_of_a_reservation_voids_it_as_expired_only_when_due() {
        given(OPENED, HUNDRED, RESERVED_60).when(new ExpireHold(at(EXPIRES), "transfer/t1"))
                .then(new TransferVoided("t1", "bob", 6_000, 0, true, null));
        given(OPENED, HUNDRED, RESERVED_60).when(new ExpireHold(at(T0), "transfer/t1")).thenRejected("hold-not-open");
    }

    @Test
    void a_reservation_is_not_a_clients_hold_and_keeps_the_account_open() {
        given(OPENED, HUNDRED, RESERVED_60).when(new CaptureHold(at(T0), "transfer/t1", null, "x", null))
                .thenRejected("hold-not-found");
        given(OPENED, HUNDRED, RESERVED_60).when(new ReleaseHold(at(T0), "transfer/t1", null, null))
                .thenRejected("hold-not-found");
        given(OPENED, RESERVED_60).when(new CloseAccount(at(T0))).thenRejected("balance-not-zero");
    }
}
