package dev.tally.query.holds;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One hold as API.md shows it. {@code capturedAmount} only once CAPTURED; {@code releasedAmount} and
 * {@code closedAt} once closed (a capture of the whole hold releases "0.00"); {@code transactionId}
 * once CAPTURED: the withdrawal that moved the captured money (its statement line).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HoldView(String holdId, String accountId, String amount, String currency, String status,
                       String capturedAmount, String releasedAmount, Instant expiresAt, Instant placedAt,
                       Instant closedAt, String reference, Map<String, String> metadata, String transactionId) {
}
