package dev.tally.command.ledger;

import static dev.tally.command.ledger.AccountDecider.invalid;
import static dev.tally.command.ledger.AccountDecider.reject;

import dev.tally.command.ledger.AccountCommand.CaptureHold;
import dev.tally.command.ledger.AccountCommand.ExpireHold;
import dev.tally.command.ledger.AccountCommand.PlaceHold;
import dev.tally.command.ledger.AccountCommand.ReleaseHold;
import dev.tally.command.ledger.AccountEvent.FundsHeld;
import dev.tally.command.ledger.AccountEvent.FundsWithdrawn;
import dev.tally.command.ledger.AccountEvent.HoldCaptured;
import dev.tally.command.ledger.AccountEvent.HoldExpired;
import dev.tally.command.ledger.AccountEvent.HoldReleased;
import java.util.List;

/**
 * Holds: money reserved before it moves (authorize, then capture, release or expire). A hold id is
 * used once per account, forever. Only open holds are in the account's state; what became of a
 * closed one comes in on the command ({@code known}), looked up by the write model.
 */
final class HoldRules {

    private HoldRules() {
    }

    static Decision place(PlaceHold command, Account account) {
        if (account.holds().containsKey(command.holdId()) || command.known() != null) {
            return reject("hold-exists", "Hold %s was already placed on account %s"
                    .formatted(command.holdId(), command.context().accountId()));
        }
        if (command.expiresAt() == null || !command.expiresAt().isAfter(command.context().issuedAt())) {
            return invalid(Rejection.validation("expiresIn", "must be a positive duration"));
        }
        return switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
            case Money.Result.Invalid bad -> invalid(bad.rejection());
            case Money.Result.Valid amount -> amount.minorUnits() > account.availableMinor()
                    ? MoneyRules.insufficientFunds(command.amount(), account)
                    : AccountDecider.accept(new FundsHeld(command.holdId(), amount.minorUnits(), command.expiresAt(),
                            Math.addExact(account.heldMinor(), amount.minorUnits()), command.reference(),
                            command.metadata()));
        };
    }

    /**
     * The capture closes the hold first and then withdraws: read event by event, available never
     * drops below zero in between (withdrawing first would count the captured money twice).
     */
    static Decision capture(CaptureHold command, Account account) {
        Hold hold = clientHold(account, command.holdId());
        if (hold == null) {
            return notOpen(command.holdId(), command.known(), command.context());
        }
        if (due(hold, command.context())) {
            return reject("hold-not-open", "Hold %s expired at %s".formatted(command.holdId(), hold.expiresAt()));
        }
        long captured;
        if (command.amount() == null) {
            captured = hold.amountMinor();
        } else {
            switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
                case Money.Result.Invalid bad -> {
                    return invalid(bad.rejection());
                }
                case Money.Result.Valid valid -> captured = valid.minorUnits();
            }
            if (captured > hold.amountMinor()) {
                return invalid(Rejection.validation("amount", "must be at most the held %s"
                        .formatted(Money.format(hold.amountMinor(), account.asset()))));
            }
        }
        long heldAfter = account.heldMinor() - hold.amountMinor();
        return new Decision.Accepted(List.of(
                new HoldCaptured(command.holdId(), captured, hold.amountMinor() - captured, heldAfter,
                        command.transactionId()),
                new FundsWithdrawn(command.transactionId(), captured, account.balanceMinor() - captured,
                        hold.reference(), hold.metadata())));
    }

    static Decision release(ReleaseHold command, Account account) {
        Hold hold = clientHold(account, command.holdId());
        if (hold == null) {
            return notOpen(command.holdId(), command.known(), command.context());
        }
        return AccountDecider.accept(new HoldReleased(command.holdId(), hold.amountMinor(),
                account.heldMinor() - hold.amountMinor(), command.reason()));
    }

    /** Only a hold that is open and due expires; anything else (captured meanwhile) is refused and ignored. */
    static Decision expire(ExpireHold command, Account account) {
        Hold hold = account.holds().get(command.holdId());
        if (hold == null) {
            return reject("hold-not-open", "Hold %s is no longer open".formatted(command.holdId()));
        }
        if (!due(hold, command.context())) {
            return reject("hold-not-open", "Hold %s is not due before %s".formatted(command.holdId(), hold.expiresAt()));
        }
        if (hold.reservesTransfer()) {
            return TransferRules.expire(Hold.transferOf(command.holdId()), hold, account);
        }
        return AccountDecider.accept(new HoldExpired(command.holdId(), hold.amountMinor(),
                account.heldMinor() - hold.amountMinor(), hold.expiresAt()));
    }

    /** An open hold a client placed; a two-phase transfer's reservation is posted or voided through its transfer. */
    private static Hold clientHold(Account account, String holdId) {
        Hold hold = account.holds().get(holdId);
        return hold == null || hold.reservesTransfer() ? null : hold;
    }

    private static boolean due(Hold hold, CommandContext context) {
        return !context.issuedAt().isBefore(hold.expiresAt());
    }

    private static Decision notOpen(String holdId, Hold.Status known, CommandContext context) {
        if (known == null) {
            return reject("hold-not-found", "Account %s has no hold %s".formatted(context.accountId(), holdId));
        }
        return reject("hold-not-open", "Hold %s is %s".formatted(holdId, known));
    }
}
