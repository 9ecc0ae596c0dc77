package dev.tally.query.holds;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One hold as API.md shows it. {@code capturedAmount} only once CAPTURED; {@code releasedAmount} and
 * {@code closedAt} once closed (a capture of the whole hold releases "0.00"); {@code transactionId}
 * once CAPTURED: the withdrawal that moved the captured money (its statement line). A two-phase
 * transfer's reservation is a hold too, {@code holdId} {@code transfer/<transferId>}, with
 * {@code transferId}: CAPTURED when posted (its {@code transactionId} is the transfer, whose
 * TransferDebited line moved the posted money), RELEASED when voided, EXPIRED when it expired.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HoldView(String holdId, String accountId, String amount, String currency, String status,
                       String capturedAmount, String releasedAmount, Instant expiresAt, Instant placedAt,
                       Instant closedAt, String reference, Map<String, String> metadata, String transactionId,
                       String transferId) {

    /** The hold id prefix of a two-phase transfer's reservation; a client's hold id has no '/'. */
    public static final String TRANSFER_PREFIX = "transfer/";

    /** The transfer whose reservation a hold is, or null for a client's hold. */
    public static String transferIdOf(String holdId) {
        return holdId.startsWith(TRANSFER_PREFIX) ? holdId.substring(TRANSFER_PREFIX.length()) : null;
    }
}
