package dev.tally.command.ledger;

import static dev.tally.command.ledger.AccountDecider.accept;
import static dev.tally.command.ledger.AccountDecider.invalid;
import static dev.tally.command.ledger.AccountDecider.reject;

import dev.tally.command.ledger.AccountCommand.CompleteTransfer;
import dev.tally.command.ledger.AccountCommand.PostTransfer;
import dev.tally.command.ledger.AccountCommand.ReserveTransfer;
import dev.tally.command.ledger.AccountCommand.TargetAccount;
import dev.tally.command.ledger.AccountCommand.VoidTransfer;
import dev.tally.command.ledger.AccountCommand.ReceiveTransfer;
import dev.tally.command.ledger.AccountCommand.RefundTransfer;
import dev.tally.command.ledger.AccountCommand.SendTransfer;
import dev.tally.command.ledger.AccountEvent.TransferCompleted;
import dev.tally.command.ledger.AccountEvent.TransferCredited;
import dev.tally.command.ledger.AccountEvent.TransferDebited;
import dev.tally.command.ledger.AccountEvent.TransferPosted;
import dev.tally.command.ledger.AccountEvent.TransferRefunded;
import dev.tally.command.ledger.AccountEvent.TransferReserved;
import dev.tally.command.ledger.AccountEvent.TransferVoided;
import java.util.List;

/**
 * The account's side of each transfer step. A transfer is a saga across two accounts (two
 * partitions): the source debits and holds the money in flight, the target credits or refuses, and
 * the source then either refunds or lets the money go. Sum of balances plus money in flight never
 * changes. A two-phase transfer first reserves its amount on the source (a hold it owns), and only
 * a post puts the money on that road; a void or its expiry gives the reservation back.
 */
final class TransferRules {

    private TransferRules() {
    }

    static Decision send(SendTransfer command, Account account) {
        Decision refused = refusedTarget(command.context(), command.toAccountId(), command.target(), account);
        if (refused != null) {
            return refused;
        }
        if (account.inFlightMinor().containsKey(command.transferId())) {
            return reject("transfer-exists", "Transfer %s is already in flight".formatted(command.transferId()));
        }
        return switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
            case Money.Result.Invalid bad -> invalid(bad.rejection());
            case Money.Result.Valid amount -> amount.minorUnits() > account.availableMinor()
                    ? MoneyRules.insufficientFunds(command.amount(), account)
                    : accept(new TransferDebited(command.transferId(), command.toAccountId(), amount.minorUnits(),
                            account.balanceMinor() - amount.minorUnits(), command.reference(), command.metadata(),
                            command.reversalOf()));
        };
    }

    /** What the source can tell about the target before any money moves; null when nothing is wrong. */
    private static Decision refusedTarget(CommandContext context, String toAccountId, TargetAccount target,
                                          Account account) {
        if (toAccountId.equals(context.accountId())) {
            return invalid(Rejection.validation("toAccountId", "must differ from fromAccountId"));
        }
        if (target != null && target.closed()) {
            return reject("account-closed", "Account %s is closed".formatted(toAccountId));
        }
        if (target != null && !target.currency().equals(account.asset().code())) {
            return reject("currency-mismatch", "Account %s holds %s, account %s holds %s".formatted(
                    context.accountId(), account.asset().code(), toAccountId, target.currency()));
        }
        return null;
    }

    /**
     * Two-phase, phase one: the same checks as a one-phase debit, but the amount is reserved (a hold
     * owned by the transfer) instead of leaving the account.
     */
    static Decision reserve(ReserveTransfer command, Account account) {
        Decision refused = refusedTarget(command.context(), command.toAccountId(), command.target(), account);
        if (refused != null) {
            return refused;
        }
        String holdId = Hold.reservationOf(command.transferId());
        if (account.holds().containsKey(holdId) || account.inFlightMinor().containsKey(command.transferId())) {
            return reject("transfer-exists", "Transfer %s was already reserved".formatted(command.transferId()));
        }
        if (command.expiresAt() == null || !command.expiresAt().isAfter(command.context().issuedAt())) {
            return invalid(Rejection.validation("expiresIn", "must be a positive duration"));
        }
        return switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
            case Money.Result.Invalid bad -> invalid(bad.rejection());
            case Money.Result.Valid amount -> amount.minorUnits() > account.availableMinor()
                    ? MoneyRules.insufficientFunds(command.amount(), account)
                    : accept(new TransferReserved(command.transferId(), command.toAccountId(), amount.minorUnits(),
                            command.expiresAt(), Math.addExact(account.heldMinor(), amount.minorUnits()),
                            command.reference(), command.metadata()));
        };
    }

    /**
     * Two-phase, phase two: the reservation closes first and the debit follows (read event by event,
     * available never drops below zero in between); the debit then travels the usual saga.
     */
    static Decision post(PostTransfer command, Account account) {
        Hold reservation = account.holds().get(Hold.reservationOf(command.transferId()));
        if (reservation == null || !reservation.reservesTransfer()) {
            return notReserved(command.transferId());
        }
        if (!command.context().issuedAt().isBefore(reservation.expiresAt())) {
            return reject("transfer-not-reserved", "Transfer %s expired at %s".formatted(command.transferId(),
                    reservation.expiresAt()));
        }
        long posted;
        if (command.amount() == null) {
            posted = reservation.amountMinor();
        } else {
            switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
                case Money.Result.Invalid bad -> {
                    return invalid(bad.rejection());
                }
                case Money.Result.Valid valid -> posted = valid.minorUnits();
            }
            if (posted > reservation.amountMinor()) {
                return invalid(Rejection.validation("amount", "must be at most the reserved %s"
                        .formatted(Money.format(reservation.amountMinor(), account.asset()))));
            }
        }
        return new Decision.Accepted(List.of(
                new TransferPosted(command.transferId(), reservation.transferTo(), posted,
                        reservation.amountMinor() - posted, account.heldMinor() - reservation.amountMinor()),
                new TransferDebited(command.transferId(), reservation.transferTo(), posted,
                        account.balanceMinor() - posted, reservation.reference(), reservation.metadata())));
    }

    /** Releasing a reservation is allowed on a frozen account too: nothing leaves it. */
    static Decision voidReservation(VoidTransfer command, Account account) {
        Hold reservation = account.holds().get(Hold.reservationOf(command.transferId()));
        if (reservation == null || !reservation.reservesTransfer()) {
            return notReserved(command.transferId());
        }
        return accept(new TransferVoided(command.transferId(), reservation.transferTo(), reservation.amountMinor(),
                account.heldMinor() - reservation.amountMinor(), false, command.reason()));
    }

    /** The write model's own expiry of a reservation whose time has come (see HoldRules.expire). */
    static Decision expire(String transferId, Hold reservation, Account account) {
        return accept(new TransferVoided(transferId, reservation.transferTo(), reservation.amountMinor(),
                account.heldMinor() - reservation.amountMinor(), true, null));
    }

    private static Decision notReserved(String transferId) {
        return reject("transfer-not-reserved", "Transfer %s holds no reservation on this account".formatted(transferId));
    }

    static Decision receive(ReceiveTransfer command, Account account) {
        if (!account.asset().code().equals(command.currency())) {
            return reject("currency-mismatch", "Account %s holds %s, the transfer is in %s"
                    .formatted(command.context().accountId(), account.asset().code(), command.currency()));
        }
        if (MoneyRules.wouldOverflow(account, command.amountMinor())) {
            return reject("validation", "The transfer would take the target's balance past the ledger's maximum");
        }
        return accept(new TransferCredited(command.transferId(), command.fromAccountId(), command.amountMinor(),
                account.balanceMinor() + command.amountMinor(), command.reference(), command.metadata(),
                command.reversalOf()));
    }

    /** Compensation: allowed on a frozen account too, since the money is the account's own. */
    static Decision refund(RefundTransfer command, Account account) {
        Long inFlight = account.inFlightMinor().get(command.transferId());
        if (inFlight == null) {
            return reject("transfer-not-in-flight", "Transfer %s is not in flight".formatted(command.transferId()));
        }
        // The amount held in flight is what goes back, whatever the step's message says.
        return accept(new TransferRefunded(command.transferId(), command.toAccountId(), inFlight,
                account.balanceMinor() + inFlight, command.reasonCode(), command.reasonDetail()));
    }

    static Decision complete(CompleteTransfer command, Account account) {
        if (!account.inFlightMinor().containsKey(command.transferId())) {
            return reject("transfer-not-in-flight", "Transfer %s is not in flight".formatted(command.transferId()));
        }
        return accept(new TransferCompleted(command.transferId(), command.toAccountId(), command.amountMinor()));
    }
}
