package dev.tally.command.ledger;

import static dev.tally.command.ledger.AccountDecider.accept;
import static dev.tally.command.ledger.AccountDecider.invalid;
import static dev.tally.command.ledger.AccountDecider.reject;

import dev.tally.command.ledger.AccountCommand.CompleteTransfer;
import dev.tally.command.ledger.AccountCommand.ReceiveTransfer;
import dev.tally.command.ledger.AccountCommand.RefundTransfer;
import dev.tally.command.ledger.AccountCommand.SendTransfer;
import dev.tally.command.ledger.AccountEvent.TransferCompleted;
import dev.tally.command.ledger.AccountEvent.TransferCredited;
import dev.tally.command.ledger.AccountEvent.TransferDebited;
import dev.tally.command.ledger.AccountEvent.TransferRefunded;

/**
 * The account's side of each transfer step. A transfer is a saga across two accounts (two
 * partitions): the source debits and holds the money in flight, the target credits or refuses, and
 * the source then either refunds or lets the money go. Sum of balances plus money in flight never
 * changes.
 */
final class TransferRules {

    private TransferRules() {
    }

    static Decision send(SendTransfer command, Account account) {
        if (command.toAccountId().equals(command.context().accountId())) {
            return invalid(Rejection.validation("toAccountId", "must differ from fromAccountId"));
        }
        if (command.target() != null && command.target().closed()) {
            return reject("account-closed", "Account %s is closed".formatted(command.toAccountId()));
        }
        if (command.target() != null && !command.target().currency().equals(account.asset().code())) {
            return reject("currency-mismatch", "Account %s holds %s, account %s holds %s".formatted(
                    command.context().accountId(), account.asset().code(), command.toAccountId(),
                    command.target().currency()));
        }
        if (account.inFlightMinor().containsKey(command.transferId())) {
            return reject("transfer-exists", "Transfer %s is already in flight".formatted(command.transferId()));
        }
        return switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
            case Money.Result.Invalid bad -> invalid(bad.rejection());
            case Money.Result.Valid amount -> amount.minorUnits() > account.availableMinor()
                    ? MoneyRules.insufficientFunds(command.amount(), account)
                    : accept(new TransferDebited(command.transferId(), command.toAccountId(), amount.minorUnits(),
                            account.balanceMinor() - amount.minorUnits(), command.reference(), command.metadata()));
        };
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
                account.balanceMinor() + command.amountMinor(), command.reference(), command.metadata()));
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
