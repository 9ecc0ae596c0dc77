package dev.tally.command.ledger;

import dev.tally.command.ledger.AccountCommand.DepositFunds;
import dev.tally.command.ledger.AccountCommand.OpenAccount;
import dev.tally.command.ledger.AccountCommand.WithdrawFunds;
import dev.tally.command.ledger.AccountEvent.AccountOpened;
import dev.tally.command.ledger.AccountEvent.FundsDeposited;
import dev.tally.command.ledger.AccountEvent.FundsWithdrawn;
import dev.tally.command.ledger.AccountState.Open;
import dev.tally.command.ledger.AccountState.Unopened;
import java.util.List;

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
        return switch (command) {
            case OpenAccount open -> open(open, state);
            case DepositFunds deposit -> deposit(deposit, state);
            case WithdrawFunds withdrawal -> withdraw(withdrawal, state);
        };
    }

    public static AccountState evolve(AccountState state, AccountEvent event) {
        return switch (event) {
            case AccountOpened opened -> new Open(opened.owner(), opened.asset(), opened.overdraftLimitMinor(), 0, 1);
            case FundsDeposited deposited -> withBalance(state, deposited.balanceAfterMinor());
            case FundsWithdrawn withdrawn -> withBalance(state, withdrawn.balanceAfterMinor());
        };
    }

    private static Decision open(OpenAccount command, AccountState state) {
        if (!(state instanceof Unopened)) {
            return reject("account-exists", "Account %s already exists".formatted(command.context().accountId()));
        }
        if (command.owner() == null || command.owner().isBlank()) {
            return new Decision.Rejected(Rejection.validation("owner", "must not be blank"));
        }
        Asset asset = Asset.of(command.currency()).orElse(null);
        if (asset == null) {
            return new Decision.Rejected(Rejection.validation("currency",
                    "must be an ISO 4217 currency code with minor units (USD, JPY, BHD, ...) or CREDITS"));
        }
        String limitText = command.overdraftLimit() == null ? "0" : command.overdraftLimit();
        return switch (Money.toMinorUnitsOrZero("overdraftLimit", limitText, asset)) {
            case Money.Result.Invalid invalid -> new Decision.Rejected(invalid.rejection());
            case Money.Result.Valid limit -> accept(
                    new AccountOpened(command.owner(), asset, limit.minorUnits(), command.metadata()));
        };
    }

    private static Decision deposit(DepositFunds command, AccountState state) {
        if (!(state instanceof Open account)) {
            return notFound(command);
        }
        return switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
            case Money.Result.Invalid invalid -> new Decision.Rejected(invalid.rejection());
            case Money.Result.Valid amount -> {
                if (account.balanceMinor() > Long.MAX_VALUE - amount.minorUnits()) {
                    yield new Decision.Rejected(Rejection.validation("amount",
                            "would take the balance past the largest balance the ledger can hold"));
                }
                yield accept(new FundsDeposited(command.transactionId(), amount.minorUnits(),
                        account.balanceMinor() + amount.minorUnits(), command.reference(), command.metadata()));
            }
        };
    }

    private static Decision withdraw(WithdrawFunds command, AccountState state) {
        if (!(state instanceof Open account)) {
            return notFound(command);
        }
        return switch (Money.toMinorUnits("amount", command.amount(), account.asset())) {
            case Money.Result.Invalid invalid -> new Decision.Rejected(invalid.rejection());
            case Money.Result.Valid amount -> {
                long available = saturatingAdd(account.balanceMinor(), account.overdraftLimitMinor());
                if (amount.minorUnits() > available) {
                    yield reject("insufficient-funds", "Withdrawing %s %s needs more than the %s %s available"
                            .formatted(command.amount(), account.asset().code(),
                                    Money.format(available, account.asset()), account.asset().code()));
                }
                yield accept(new FundsWithdrawn(command.transactionId(), amount.minorUnits(),
                        account.balanceMinor() - amount.minorUnits(), command.reference(), command.metadata()));
            }
        };
    }

    private static AccountState withBalance(AccountState state, long balanceMinor) {
        if (!(state instanceof Open open)) {
            throw new IllegalStateException("A movement of funds on an account that was never opened");
        }
        return new Open(open.owner(), open.asset(), open.overdraftLimitMinor(), balanceMinor, open.version() + 1);
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static Decision notFound(AccountCommand command) {
        return reject("account-not-found", "Account %s does not exist".formatted(command.context().accountId()));
    }

    private static Decision accept(AccountEvent event) {
        return new Decision.Accepted(List.of(event));
    }

    private static Decision reject(String code, String detail) {
        return new Decision.Rejected(Rejection.of(code, detail));
    }
}
