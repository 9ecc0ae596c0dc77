package dev.tally.command.transfers;

import java.time.Instant;
import java.util.Map;

/**
 * How a transfer ended, as its source account recorded it: {@code COMPLETED} (the target took the
 * money) or {@code REFUNDED} (the target refused, the money went back).
 *
 * @param versions    the account versions the transfer's last events produced, so that a replayed
 *                    answer carries a consistency token as good as the first one
 * @param sourceOwner the source account's owner: only its owner (or staff) may hear the outcome again
 */
public record TransferOutcome(String status, long amountMinor, String currency, int scale, String reasonCode,
                              String reason, Instant settledAt, Map<String, Long> versions, String sourceOwner) {

    public TransferOutcome {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }

    public boolean refunded() {
        return "REFUNDED".equals(status);
    }
}
