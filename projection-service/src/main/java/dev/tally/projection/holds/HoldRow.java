package dev.tally.projection.holds;

import java.time.Instant;
import java.util.Map;

/**
 * A row of the {@code holds} read model: one hold of one account, OPEN until it is CAPTURED, RELEASED
 * or EXPIRED. {@code capturedMinor} is set by a capture only; {@code releasedMinor} by any close
 * (zero when a capture took it all); {@code transactionId} names a capture's FundsWithdrawn, or for a
 * two-phase transfer's reservation (hold id {@code transfer/<transferId>}) the transfer, whose
 * TransferDebited moves the posted money.
 */
public record HoldRow(String accountId, String holdId, long amountMinor, String currency, int scale, String status,
                      Long capturedMinor, Long releasedMinor, Instant expiresAt, Instant placedAt, Instant closedAt,
                      String reference, Map<String, String> metadata, String transactionId, long lastSequence) {

    public static final String OPEN = "OPEN";
    /** A two-phase transfer's reservation is the hold {@code transfer/<transferId>}; a client's hold id never has a '/'. */
    public static final String TRANSFER_PREFIX = "transfer/";

    public HoldRow {
        metadata = Map.copyOf(metadata);
    }

    HoldRow closed(String newStatus, Long captured, long released, String transaction, Instant at, long sequence) {
        return new HoldRow(accountId, holdId, amountMinor, currency, scale, newStatus, captured, released, expiresAt,
                placedAt, at, reference, metadata, transaction, sequence);
    }

    /** The hold id of a two-phase transfer's reservation. */
    public static String ofTransfer(String transferId) {
        return TRANSFER_PREFIX + transferId;
    }

    /** The key of a hold among all accounts' holds: hold ids are unique per account only. */
    public static String key(String accountId, String holdId) {
        return accountId + '\u0000' + holdId;
    }
}
