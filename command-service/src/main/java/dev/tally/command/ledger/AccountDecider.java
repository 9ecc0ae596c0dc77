package dev.tally.command.ledger;

import dev.tally.command.ledger.AccountCommand.CaptureHold;
import dev.tally.command.ledger.AccountCommand.CloseAccount;
import dev.tally.command.ledger.AccountCommand.ExpireHold;
import dev.tally.command.ledger.AccountCommand.PlaceHold;
import dev.tally.command.ledger.AccountCommand.ReleaseHold;
import dev.tally.command.ledger.AccountCommand.CompleteTransfer;
import dev.tally.command.ledger.AccountCommand.PostTransfer;
import dev.tally.command.ledger.AccountCommand.ReserveTransfer;
import dev.tally.command.ledger.AccountCommand.ReverseMovement;
import dev.tally.command.ledger.AccountCommand.VoidTransfer;
import dev.tally.command.ledger.AccountCommand.DepositFunds;
import dev.tally.command.ledger.AccountCommand.FreezeAccount;
import dev.tally.command.ledger.AccountCommand.OpenAccount;
import dev.tally.command.ledger.AccountCommand.ReceiveTransfer;
import dev.tally.command.ledger.AccountCommand.RefundTransfer;
import dev.tally.command.ledger.AccountCommand.SendTransfer;
import dev.tally.command.ledger.AccountCommand.UnfreezeAccount;
import dev.tally.command.ledger.AccountCommand.WithdrawFunds;
import dev.tally.command.ledger.AccountEvent.AccountClosed;
import dev.tally.command.ledger.AccountEvent.SubjectForgotten;
import dev.tally.command.ledger.AccountCommand.ForgetSubject;
import dev.tally.command.ledger.AccountEvent.AccountFrozen;
import dev.tally.command.ledger.AccountEvent.AccountOpened;
import dev.tally.command.ledger.AccountEvent.AccountUnfrozen;
import dev.tally.command.ledger.AccountEvent.FundsDeposited;
import dev.tally.command.ledger.AccountEvent.FundsHeld;
import dev.tally.command.ledger.AccountEvent.HoldCaptured;
import dev.tally.command.ledger.AccountEvent.HoldExpired;
import dev.tally.command.ledger.AccountEvent.HoldReleased;
import dev.tally.command.ledger.AccountEvent.FundsWithdrawn;
import dev.tally.command.ledger.AccountEvent.TransferCompleted;
import dev.tally.command.ledger.AccountEvent.TransferCredited;
import dev.tally.command.ledger.AccountEvent.TransferDebited;
import dev.tally.command.ledger.AccountEvent.TransferPosted;
import dev.tally.command.ledger.AccountEvent.TransferRefunded;
import dev.tally.command.ledger.AccountEvent.TransferReserved;
import dev.tally.command.ledger.AccountEvent.TransferVoided;
import dev.tally.command.ledger.AccountState.Closed;
import dev.tally.command.ledger.AccountState.Frozen;
import dev.tally.command.ledger.AccountState.Open;
import dev.tally.command.ledger.AccountState.Unopened;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The rules of one account, as two pure functions: {@code decide} turns a command and the current
 * state into events (or a rejection), {@code evolve} folds an event into the state. No clock, no
 * randomness, no I/O: replaying the log through {@code evolve} always gives the same state.
 */
public final class AccountDecider {

    public static final AccountState INITIAL = new Unopened();

    private AccountDecider() {
    }

    public static Decision decide(AccountCommand command, AccountState state) {
        if (!reachable(command, state)) {
            // Someone else's account looks exactly like a missing one: a customer learns nothing
            // about accounts it does not own, not even that they exist.
            return notFound(command);
        }
        if (command instanceof ForgetSubject forget) {
            return forget(forget, state);
        }
        return switch (state) {
            case Unopened unopened -> command instanceof OpenAccount open ? MoneyRules.open(open) : notFound(command);
            case Closed closed -> command instanceof OpenAccount ? exists(command)
                    : reject("account-closed", "Account %s is closed".formatted(command.context().accountId()));
            case Open open -> versionMismatch(command, state) != null ? versionMismatch(command, state)
                    : decideOn(command, open.account(), false);
            case Frozen frozen -> versionMismatch(command, state) != null ? versionMismatch(command, state)
                    : decideOn(command, frozen.account(), true);
        };
    }

    private static Decision decideOn(AccountCommand command, Account account, boolean frozen) {
        return switch (command) {
            case OpenAccount open -> exists(open);
            case DepositFunds deposit -> MoneyRules.deposit(deposit, account);
            case WithdrawFunds withdrawal -> frozen ? isFrozen(withdrawal) : MoneyRules.withdraw(withdrawal, account);
            case FreezeAccount freeze -> frozen ? isFrozen(freeze) : accept(new AccountFrozen(freeze.reason()));
            case UnfreezeAccount unfreeze -> frozen ? accept(new AccountUnfrozen(unfreeze.reason()))
                    : reject("account-not-frozen", "Account %s is not frozen".formatted(unfreeze.context().accountId()));
            case CloseAccount close -> close(close, account);
            case SendTransfer send -> frozen ? isFrozen(send) : TransferRules.send(send, account);
            case ReceiveTransfer receive -> TransferRules.receive(receive, account);
            case RefundTransfer refund -> TransferRules.refund(refund, account);
            case CompleteTransfer complete -> TransferRules.complete(complete, account);
            // A frozen account keeps what it reserved but reserves and pays out nothing more.
            case PlaceHold place -> frozen ? isFrozen(place) : HoldRules.place(place, account);
            case CaptureHold capture -> frozen ? isFrozen(capture) : HoldRules.capture(capture, account);
            case ReleaseHold release -> HoldRules.release(release, account);
            case ExpireHold expire -> HoldRules.expire(expire, account);
            case ReserveTransfer reserve -> frozen ? isFrozen(reserve) : TransferRules.reserve(reserve, account);
            case PostTransfer post -> frozen ? isFrozen(post) : TransferRules.post(post, account);
            case VoidTransfer voided -> TransferRules.voidReservation(voided, account);
            case ReverseMovement reverse -> MoneyRules.reverse(reverse, account);
            case ForgetSubject forget -> throw new IllegalStateException("forgetting is decided before the status");
        };
    }

    /** In any status, closed included: a person may ask to be forgotten long after leaving. */
    private static Decision forget(ForgetSubject command, AccountState state) {
        if (state instanceof Unopened) {
            return notFound(command);
        }
        if (!accountOf(state).owner().equals(command.owner())) {
            return reject("owner-mismatch", "Account %s does not belong to %s"
                    .formatted(command.context().accountId(), command.owner()));
        }
        return accept(new SubjectForgotten(command.owner()));
    }

    public static AccountState evolve(AccountState state, AccountEvent event) {
        return switch (event) {
            case AccountOpened opened -> new Open(new Account(opened.owner(), opened.asset(),
                    opened.overdraftLimitMinor(), 0, 1, Map.of()));
            case FundsDeposited deposited -> update(state, a -> a.next(deposited.balanceAfterMinor()));
            case FundsWithdrawn withdrawn -> update(state, a -> a.next(withdrawn.balanceAfterMinor()));
            case AccountFrozen frozen -> new Frozen(accountOf(state).nextVersion(), frozen.reason());
            case AccountUnfrozen unfrozen -> new Open(accountOf(state).nextVersion());
            case AccountClosed closed -> new Closed(accountOf(state).nextVersion());
            case SubjectForgotten forgotten -> update(state, Account::nextVersion);
            case TransferDebited debited -> update(state, a -> a.nextWithInFlight(debited.balanceAfterMinor(),
                    debited.transferId(), debited.amountMinor()));
            case TransferCredited credited -> update(state, a -> a.next(credited.balanceAfterMinor()));
            case TransferRefunded refunded -> update(state, a -> a.nextWithInFlight(refunded.balanceAfterMinor(),
                    refunded.transferId(), null));
            case TransferCompleted completed -> update(state, a -> a.nextWithInFlight(a.balanceMinor(),
                    completed.transferId(), null));
            case FundsHeld held -> update(state, a -> a.nextWithHold(held.holdId(),
                    new Hold(held.amountMinor(), held.expiresAt(), held.reference(), held.metadata())));
            case HoldCaptured captured -> update(state, a -> a.nextWithHold(captured.holdId(), null));
            case HoldReleased released -> update(state, a -> a.nextWithHold(released.holdId(), null));
            case HoldExpired expired -> update(state, a -> a.nextWithHold(expired.holdId(), null));
            case TransferReserved reserved -> update(state, a -> a.nextWithHold(
                    Hold.reservationOf(reserved.transferId()), new Hold(reserved.amountMinor(), reserved.expiresAt(),
                            reserved.reference(), reserved.metadata(), reserved.toAccountId())));
            case TransferPosted posted -> update(state, a -> a.nextWithHold(Hold.reservationOf(posted.transferId()),
                    null));
            case TransferVoided voided -> update(state, a -> a.nextWithHold(Hold.reservationOf(voided.transferId()),
                    null));
        };
    }

    private static Decision close(CloseAccount command, Account account) {
        if (account.balanceMinor() != 0) {
            return reject("balance-not-zero", "Account %s holds %s %s; only an empty account can be closed"
                    .formatted(command.context().accountId(), Money.format(account.balanceMinor(), account.asset()),
                            account.asset().code()));
        }
        if (!account.inFlightMinor().isEmpty()) {
            return reject("balance-not-zero", "Account %s has %d transfer(s) in flight; close it once they settle"
                    .formatted(command.context().accountId(), account.inFlightMinor().size()));
        }
        if (!account.holds().isEmpty()) {
            // A closed account refuses everything, so it could never capture or release them.
            return reject("balance-not-zero", "Account %s has %d open hold(s) or reserved transfer(s); capture, release, post or void them first"
                    .formatted(command.context().accountId(), account.holds().size()));
        }
        return accept(new AccountClosed());
    }

    private static Decision versionMismatch(AccountCommand command, AccountState state) {
        Long expected = command.context().expectedVersion();
        if (expected == null || expected == state.version()) {
            return null;
        }
        return reject("version-mismatch", "Account %s is at version %d, not %d"
                .formatted(command.context().accountId(), state.version(), expected));
    }

    private static AccountState update(AccountState state, UnaryOperator<Account> change) {
        return switch (state) {
            case Open open -> new Open(change.apply(open.account()));
            case Frozen frozen -> new Frozen(change.apply(frozen.account()), frozen.reason());
            case Closed closed -> new Closed(change.apply(closed.account()));
            case Unopened unopened -> throw new IllegalStateException("An event on an account that was never opened");
        };
    }

    /** The facts of an opened account, whatever its status. */
    public static Account accountOf(AccountState state) {
        return switch (state) {
            case Open open -> open.account();
            case Frozen frozen -> frozen.account();
            case Closed closed -> closed.account();
            case Unopened unopened -> throw new IllegalStateException("An event on an account that was never opened");
        };
    }

    /** Whether the caller may act on this account: staff always, a customer only on its own. */
    private static boolean reachable(AccountCommand command, AccountState state) {
        String confined = command.context().confinedToOwner();
        return switch (state) {
            case Unopened unopened -> confined == null || !(command instanceof OpenAccount open)
                    || confined.equals(open.owner());
            case Open open -> confined == null || confined.equals(open.account().owner());
            case Frozen frozen -> confined == null || confined.equals(frozen.account().owner());
            case Closed closed -> confined == null || confined.equals(closed.account().owner());
        };
    }

    private static Decision notFound(AccountCommand command) {
        return reject("account-not-found", "Account %s does not exist".formatted(command.context().accountId()));
    }

    private static Decision exists(AccountCommand command) {
        return reject("account-exists", "Account %s already exists".formatted(command.context().accountId()));
    }

    private static Decision isFrozen(AccountCommand command) {
        return reject("account-frozen", "Account %s is frozen".formatted(command.context().accountId()));
    }

    static Decision accept(AccountEvent event) {
        return new Decision.Accepted(List.of(event));
    }

    static Decision reject(String code, String detail) {
        return new Decision.Rejected(Rejection.of(code, detail));
    }

    static Decision invalid(Rejection rejection) {
        return new Decision.Rejected(rejection);
    }
}
