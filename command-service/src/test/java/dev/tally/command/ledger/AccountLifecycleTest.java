package dev.tally.command.ledger;

import static dev.tally.command.ledger.DeciderSpecification.given;

import dev.tally.command.ledger.AccountCommand.CloseAccount;
import dev.tally.command.ledger.AccountCommand.DepositFunds;
import dev.tally.command.ledger.AccountCommand.FreezeAccount;
import dev.tally.command.ledger.AccountCommand.OpenAccount;
import dev.tally.command.ledger.AccountCommand.SendTransfer;
import dev.tally.command.ledger.AccountCommand.UnfreezeAccount;
import dev.tally.command.ledger.AccountCommand.WithdrawFunds;
import dev.tally.command.ledger.AccountEvent.AccountClosed;
import dev.tally.command.ledger.AccountEvent.AccountFrozen;
import dev.tally.command.ledger.AccountEvent.AccountOpened;
import dev.tally.command.ledger.AccountEvent.AccountUnfrozen;
import dev.tally.command.ledger.AccountEvent.FundsDeposited;
import dev.tally.command.ledger.AccountEvent.FundsWithdrawn;
import dev.tally.command.ledger.AccountEvent.TransferDebited;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Freezing, unfreezing, closing and optimistic concurrency. */
class AccountLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Asset USD = Asset.of("USD").orElseThrow();
    private static final AccountOpened OPENED = new AccountOpened("alice", USD, 0, Map.of());
    private static final FundsDeposited TEN = new FundsDeposited("tx-0", 1000, 1000, null, Map.of());
    private static final AccountFrozen FROZEN = new AccountFrozen("fraud check");

    private static CommandContext ctx(Long expectedVersion) {
        return CommandContext.direct("cmd-9", "alice", NOW, "teller", "cmd-9", expectedVersion);
    }

    private static CommandContext ctx() {
        return ctx(null);
    }

    @Test
    void an_open_account_can_be_frozen_with_a_reason() {
        given(OPENED).when(new FreezeAccount(ctx(), "fraud check")).then(new AccountFrozen("fraud check"));
    }

    @Test
    void a_frozen_account_cannot_be_frozen_again() {
        given(OPENED, FROZEN).when(new FreezeAccount(ctx(), null)).thenRejected("account-frozen");
    }

    @Test
    void a_frozen_account_refuses_withdrawals_and_outgoing_transfers() {
        given(OPENED, TEN, FROZEN).when(new WithdrawFunds(ctx(), "tx", "1.00", null, Map.of()))
                .thenRejected("account-frozen");
        given(OPENED, TEN, FROZEN).when(new SendTransfer(ctx(), "t-1", "bob", "1.00", null, Map.of(), null))
                .thenRejected("account-frozen");
    }

    @Test
    void a_frozen_account_still_receives_deposits() {
        given(OPENED, FROZEN).when(new DepositFunds(ctx(), "tx", "5.00", null, Map.of()))
                .then(new FundsDeposited("tx", 500, 500, null, Map.of()));
    }

    @Test
    void a_frozen_account_can_be_unfrozen_and_then_withdraws_again() {
        given(OPENED, TEN, FROZEN).when(new UnfreezeAccount(ctx(), "cleared")).then(new AccountUnfrozen("cleared"));
        given(OPENED, TEN, FROZEN, new AccountUnfrozen("cleared"))
                .when(new WithdrawFunds(ctx(), "tx", "1.00", null, Map.of()))
                .then(new FundsWithdrawn("tx", 100, 900, null, Map.of()));
    }

    @Test
    void an_account_that_is_not_frozen_cannot_be_unfrozen() {
        given(OPENED).when(new UnfreezeAccount(ctx(), null)).thenRejected("account-not-frozen");
    }

    @Test
    void an_empty_account_can_be_closed() {
        given(OPENED).when(new CloseAccount(ctx())).then(new AccountClosed());
    }

    @Test
    void an_account_holding_money_cannot_be_closed() {
        given(OPENED, TEN).when(new CloseAccount(ctx())).thenRejected("balance-not-zero");
    }

    @Test
    void an_account_with_money_in_flight_cannot_be_closed() {
        given(OPENED, TEN, new TransferDebited("t-1", "bob", 1000, 0, null, Map.of()))
                .when(new CloseAccount(ctx())).thenRejected("balance-not-zero");
    }

    @Test
    void a_closed_account_refuses_everything() {
        given(OPENED, new AccountClosed()).when(new DepositFunds(ctx(), "tx", "1.00", null, Map.of()))
                .thenRejected("account-closed");
        given(OPENED, new AccountClosed()).when(new FreezeAccount(ctx(), null)).thenRejected("account-closed");
        given(OPENED, new AccountClosed()).when(new CloseAccount(ctx())).thenRejected("account-closed");
        given(OPENED, new AccountClosed()).when(new OpenAccount(ctx(), "alice", "USD", null, Map.of()))
                .thenRejected("account-exists");
    }

    @Test
    void a_command_for_the_version_the_client_saw_is_decided() {
        given(OPENED, TEN).when(new WithdrawFunds(ctx(2L), "tx", "1.00", null, Map.of()))
                .then(new FundsWithdrawn("tx", 100, 900, null, Map.of()));
    }

    @Test
    void a_command_for_a_version_the_account_has_left_is_refused() {
        given(OPENED, TEN).when(new WithdrawFunds(ctx(1L), "tx", "1.00", null, Map.of()))
                .thenRejected("version-mismatch");
    }

    @Test
    void freezing_and_closing_count_as_versions() {
        given(OPENED, FROZEN).when(new UnfreezeAccount(ctx(2L), null)).then(new AccountUnfrozen(null));
    }
}
