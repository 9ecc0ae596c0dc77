package dev.tally.projection.accounts;

import java.time.Instant;
import java.util.Map;

/** A row of the {@code accounts} read model. */
public record AccountRow(String accountId, String owner, String currency, int scale, long balanceMinor,
                         long overdraftLimitMinor, String status, long version, Map<String, String> metadata,
                         Instant openedAt, Instant updatedAt) {

    public AccountRow {
        metadata = Map.copyOf(metadata);
    }

    AccountRow withStatus(String newStatus, long sequence, Instant at) {
        return new AccountRow(accountId, owner, currency, scale, balanceMinor, overdraftLimitMinor, newStatus,
                sequence, metadata, openedAt, at);
    }

    AccountRow moved(long balanceAfterMinor, long sequence, Instant at) {
        return new AccountRow(accountId, owner, currency, scale, balanceAfterMinor, overdraftLimitMinor, status,
                sequence, metadata, openedAt, at);
    }
}
