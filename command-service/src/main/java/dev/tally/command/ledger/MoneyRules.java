package dev.tally.command.ledger;

import static dev.tally.command.ledger.AccountDecider.accept;
import static dev.tally.command.ledger.AccountDecider.invalid;
import static dev.tally.command.ledger.AccountDecider.reject;

import dev.tally.command.ledger.AccountCommand.DepositFunds;
import dev.tally.command.ledger.AccountCommand.OpenAccount;
import dev.tally.command.ledger.AccountCommand.ReverseMovement;
import dev.tally.command.ledger.AccountCommand.WithdrawFunds;
import dev.tally.command.ledger.AccountEvent.AccountOpened;
import dev.tally.command.ledger.AccountEvent.FundsDeposited;
import dev.tally.command.ledger.AccountEvent.FundsWithdrawn;

/** Opening an account and moving money across the ledger's edge (deposits, withdrawals, their reversals). */
final class MoneyRules {

    private MoneyRules() {
    }

    static Decision open(OpenAccount command) {
        if (command.owner() == null || command.owner().isBlank()) {
            return invalid(Rejection.validation("owner", "must not be blank"));
        }
        Asset asset = Asset.of(command.currency()).orElse(null);
        if (asset == null) {
            return invalid(Rejection.validation("currency",
                    "must be an ISO 4217 currency code with minor units (USD, JPY, BHD, ...) or CREDITS"));
        }
        String limitText = command.overdraftLimit() == null ? "0" : command.overdraftLimit();
        return switch (Money.toMinorUnitsOrZero("overdraftLimit", limitText, asset)) {
            case Money.Result.Invalid bad -> invalid(bad.rejection());
            case Money.Result.Valid limit -> accept(
                    new AccountOpened(command.owner(), asset, limit.minorUnits(), command.metadata()));
        };
    }

    static Decision deposit(DepositFunds command, Account account) {
        return switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
            case Money.Result.Invalid bad -> invalid(bad.rejection());
            case Money.Result.Valid amount -> {
                if (wouldOverflow(account, amount.minorUnits())) {
                    yield invalid(Rejection.validation("amount",
                            "would take the balance past the largest balance the ledger can hold"));
                }
                yield accept(new FundsDeposited(command.transactionId(), amount.minorUnits(),
                        account.balanceMinor() + amount.minorUnits(), command.reference(), command.metadata()));
            }
        };
    }

    static Decision withdraw(WithdrawFunds command, Account account) {
        return switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
            case Money.Result.Invalid bad -> invalid(bad.rejection());
            case Money.Result.Valid amount -> amount.minorUnits() > account.availableMinor()
                    ? insufficientFunds(command.amount(), account)
                    : accept(new FundsWithdrawn(command.transactionId(), amount.minorUnits(),
                            account.balanceMinor() - amount.minorUnits(), command.reference(), command.metadata()));
        };
    }

    /**
     * A correcting entry for an earlier deposit (a withdrawal) or withdrawal (a deposit), never more
     * than is left of it. Allowed on a frozen account: a correction is staff's, and the money it
     * moves back is what the original moved.
     */
    static Decision reverse(ReverseMovement command, Account account) {
        Movement original = command.known();
        String what = command.kind() == Movement.Kind.DEPOSIT ? "deposit" : "withdrawal";
        if (original == null || original.kind() != command.kind()) {
            return reject("transaction-not-found", "Account %s has no %s %s".formatted(
                    command.context().accountId(), what, command.originalTransactionId()));
        }
        if (original.reversibleMinor() <= 0) {
            return reject("transaction-not-reversible", "The %s %s is reversed in full already"
                    .formatted(what, command.originalTransactionId()));
        }
        long amount;
        if (command.amount() == null) {
            amount = original.reversibleMinor();
        } else {
            switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
                case Money.Result.Invalid bad -> {
                    return invalid(bad.rejection());
                }
                case Money.Result.Valid valid -> amount = valid.minorUnits();
            }
            if (amount > original.reversibleMinor()) {
                return reject("transaction-not-reversible", "The %s %s has only %s of %s left to reverse".formatted(
                        what, command.originalTransactionId(), Money.format(original.reversibleMinor(), account.asset()),
                        Money.format(original.amountMinor(), account.asset())));
            }
        }
        if (command.kind() == Movement.Kind.DEPOSIT) {
            return amount > account.availableMinor()
                    ? insufficientFunds(Money.format(amount, account.asset()), account)
                    : accept(new FundsWithdrawn(command.transactionId(), amount, account.balanceMinor() - amount,
                            command.reason(), java.util.Map.of(), command.originalTransactionId()));
        }
        if (wouldOverflow(account, amount)) {
            return invalid(Rejection.validation("amount",
                    "would take the balance past the largest balance the ledger can hold"));
        }
        return accept(new FundsDeposited(command.transactionId(), amount, account.balanceMinor() + amount,
                command.reason(), java.util.Map.of(), command.originalTransactionId()));
    }

    static boolean wouldOverflow(Account account, long creditMinor) {
        return account.balanceMinor() > Long.MAX_VALUE - creditMinor;
    }

    static Decision insufficientFunds(String amount, Account account) {
        String code = account.asset().code();
        return reject("insufficient-funds", "Taking %s %s needs more than the %s %s available"
                .formatted(amount, code, Money.format(account.availableMinor(), account.asset()), code));
    }
}
