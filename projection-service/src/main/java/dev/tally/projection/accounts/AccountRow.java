package dev.tally.projection.accounts;

import java.time.Instant;
import java.util.Map;

/**
 * A row of the {@code accounts} read model. {@code heldMinor} is the money reserved by open holds:
 * it stays in the balance but is not available (available = balance + overdraft limit − held).
 */
public record AccountRow(String accountId, String owner, String currency, int scale, long balanceMinor,
                         long heldMinor, long overdraftLimitMinor, String status, long version,
                         Map<String, String> metadata, Instant openedAt, Instant updatedAt) {

    public AccountRow {
        metadata = Map.copyOf(metadata);
    }

    public long availableMinor() {
        return balanceMinor + overdraftLimitMinor - heldMinor;
    }

    AccountRow withStatus(String newStatus, long sequence, Instant at) {
        return new AccountRow(accountId, owner, currency, scale, balanceMinor, heldMinor, overdraftLimitMinor,
                newStatus, sequence, metadata, openedAt, at);
    }

    AccountRow moved(long balanceAfterMinor, long sequence, Instant at) {
        return new AccountRow(accountId, owner, currency, scale, balanceAfterMinor, heldMinor, overdraftLimitMinor,
                status, sequence, metadata, openedAt, at);
    }

    AccountRow held(long heldAfterMinor, long sequence, Instant at) {
        return new AccountRow(accountId, owner, currency, scale, balanceMinor, heldAfterMinor, overdraftLimitMinor,
                status, sequence, metadata, openedAt, at);
    }
}
