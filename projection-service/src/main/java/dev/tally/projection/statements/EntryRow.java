package dev.tally.projection.statements;

import java.time.Instant;
import java.util.Map;

/**
 * A statement line of the {@code entries} read model; {@code amountMinor} is signed. {@code reversalOf}:
 * on a reversal's two lines (its TRANSFER_OUT on the original's target, its TRANSFER_IN on the
 * original's source), the transfer it reverses; on a correcting deposit or withdrawal, the transaction
 * it reverses; null on every other line.
 */
public record EntryRow(String accountId, long sequence, String type, long amountMinor, long balanceAfterMinor,
                       String currency, int scale, String transactionId, String transferId,
                       String counterpartyAccountId, String reference, Map<String, String> metadata, String actor,
                       String eventId, Instant occurredAt, String reversalOf) {

    public EntryRow {
        metadata = Map.copyOf(metadata);
    }
}
