package dev.tally.command.writemodel;

import dev.tally.command.ledger.Account;
import dev.tally.command.ledger.AccountDecider;
import dev.tally.command.ledger.AccountState;
import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.Hold;
import java.time.Instant;
import java.util.Map;

/**
 * One account in the write model's state store: the domain state plus the instants the HTTP
 * answer shows. A missing entry means the account was never opened.
 */
public record AccountSnapshot(String owner, String currency, int scale, long overdraftLimitMinor, long balanceMinor,
                              long version, String status, String frozenReason, Map<String, Long> inFlightMinor,
                              Instant openedAt, Instant updatedAt, Map<String, Hold> holds) {

    public AccountSnapshot {
        inFlightMinor = inFlightMinor == null ? Map.of() : Map.copyOf(inFlightMinor);
        // Absent in snapshots written before holds existed: no open holds.
        holds = holds == null ? Map.of() : Map.copyOf(holds);
    }

    public AccountSnapshot(String owner, String currency, int scale, long overdraftLimitMinor, long balanceMinor,
                           long version, String status, String frozenReason, Map<String, Long> inFlightMinor,
                           Instant openedAt, Instant updatedAt) {
        this(owner, currency, scale, overdraftLimitMinor, balanceMinor, version, status, frozenReason, inFlightMinor,
                openedAt, updatedAt, Map.of());
    }

    public Asset asset() {
        return new Asset(currency, scale);
    }

    public static AccountState toState(AccountSnapshot snapshot) {
        if (snapshot == null) {
            return AccountDecider.INITIAL;
        }
        Account account = new Account(snapshot.owner, new Asset(snapshot.currency, snapshot.scale),
                snapshot.overdraftLimitMinor, snapshot.balanceMinor, snapshot.version, snapshot.inFlightMinor,
                snapshot.holds);
        return switch (snapshot.status) {
            case "OPEN" -> new AccountState.Open(account);
            case "FROZEN" -> new AccountState.Frozen(account, snapshot.frozenReason);
            case "CLOSED" -> new AccountState.Closed(account);
            default -> throw new IllegalStateException("Unknown status " + snapshot.status);
        };
    }

    /** The snapshot after the state changed at {@code at}; {@code previous} is null for a new account. */
    public static AccountSnapshot of(AccountState state, AccountSnapshot previous, Instant at) {
        Instant openedAt = previous == null ? at : previous.openedAt;
        return switch (state) {
            case AccountState.Unopened unopened -> previous;
            case AccountState.Open open -> of(open.account(), "OPEN", null, openedAt, at);
            case AccountState.Frozen frozen -> of(frozen.account(), "FROZEN", frozen.reason(), openedAt, at);
            case AccountState.Closed closed -> of(closed.account(), "CLOSED", null, openedAt, at);
        };
    }

    private static AccountSnapshot of(Account a, String status, String reason, Instant openedAt, Instant at) {
        return new AccountSnapshot(a.owner(), a.asset().code(), a.asset().scale(), a.overdraftLimitMinor(),
                a.balanceMinor(), a.version(), status, reason, a.inFlightMinor(), openedAt, at, a.holds());
    }
}
