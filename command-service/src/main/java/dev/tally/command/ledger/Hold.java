package dev.tally.command.ledger;

import java.time.Instant;
import java.util.Map;

/**
 * Money reserved on an account and not yet captured, released or expired. It stays in the balance
 * but not in what the account can spend. The reference and metadata go on to the withdrawal a
 * capture makes, so the statement line reads like the authorization did.
 *
 * <p>A two-phase transfer reserves its amount as a hold too, under {@link #reservationOf its
 * transfer's hold id}, with {@code transferTo} naming the target: held money is counted in one
 * place, whatever reserved it.
 *
 * @param transferTo the target account of the two-phase transfer that owns this hold, or null for
 *                   a client's hold
 */
public record Hold(long amountMinor, Instant expiresAt, String reference, Map<String, String> metadata,
                   String transferTo) {

    /** Reservations live under this prefix; client hold ids cannot contain a '/', so they never clash. */
    public static final String RESERVATION_PREFIX = "transfer/";

    public Hold {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A client's hold. */
    public Hold(long amountMinor, Instant expiresAt, String reference, Map<String, String> metadata) {
        this(amountMinor, expiresAt, reference, metadata, null);
    }

    /** The hold id under which a two-phase transfer reserves its amount on its source. */
    public static String reservationOf(String transferId) {
        return RESERVATION_PREFIX + transferId;
    }

    /** The transfer a hold id reserves for, or null for a client's hold id. */
    public static String transferOf(String holdId) {
        return holdId != null && holdId.startsWith(RESERVATION_PREFIX) ? holdId.substring(RESERVATION_PREFIX.length())
                : null;
    }

    public boolean reservesTransfer() {
        return transferTo != null;
    }

    /** What became of a hold id on an account. Only OPEN holds are in the account's state. */
    public enum Status { OPEN, CAPTURED, RELEASED, EXPIRED }
}
