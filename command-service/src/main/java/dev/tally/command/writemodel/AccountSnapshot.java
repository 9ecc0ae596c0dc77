package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountDecider;
import dev.tally.command.ledger.AccountState;
import dev.tally.command.ledger.Asset;
import java.time.Instant;

/**
 * One account in the write model's state store: the domain state plus the instants the HTTP
 * answer shows. A missing entry means the account was never opened.
 */
public record AccountSnapshot(String owner, String currency, int scale, long overdraftLimitMinor, long balanceMinor,
                              long version, Instant openedAt, Instant updatedAt) {

    public static AccountState toState(AccountSnapshot snapshot) {
        if (snapshot == null) {
            return AccountDecider.INITIAL;
        }
        return new AccountState.Open(snapshot.owner, new Asset(snapshot.currency, snapshot.scale),
                snapshot.overdraftLimitMinor, snapshot.balanceMinor, snapshot.version);
    }

    /** The snapshot after the state changed at {@code at}; {@code previous} is null for a new account. */
    public static AccountSnapshot of(AccountState state, AccountSnapshot previous, Instant at) {
        if (!(state instanceof AccountState.Open open)) {
            return previous;
        }
        Instant openedAt = previous == null ? at : previous.openedAt;
        return new AccountSnapshot(open.owner(), open.asset().code(), open.asset().scale(),
                open.overdraftLimitMinor(), open.balanceMinor(), open.version(), openedAt, at);
    }
}
