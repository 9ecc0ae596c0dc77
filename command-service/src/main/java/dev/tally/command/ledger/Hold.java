package dev.tally.command.ledger;

import java.time.Instant;
import java.util.Map;

/**
 * Money reserved on an account and not yet captured, released or expired. It stays in the balance
 * but not in what the account can spend. The reference and metadata go on to the withdrawal a
 * capture makes, so the statement line reads like the authorization did.
 */
public record Hold(long amountMinor, Instant expiresAt, String reference, Map<String, String> metadata) {

    public Hold {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** What became of a hold id on an account. Only OPEN holds are in the account's state. */
    public enum Status { OPEN, CAPTURED, RELEASED, EXPIRED }
}
