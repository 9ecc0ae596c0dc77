package dev.tally.command.transfers;

import java.time.Instant;
import java.util.Map;

/**
 * Where a transfer stands, as its source account recorded it: {@code COMPLETED} (the target took the
 * money) or {@code REFUNDED} (the target refused, the money went back); for a two-phase transfer
 * also {@code RESERVED} (not final: the amount waits on the source), {@code VOIDED} or
 * {@code EXPIRED} (the reservation ended without moving money).
 *
 * @param versions    the account versions the transfer's last events produced, so that a replayed
 *                    answer carries a consistency token as good as the first one
 * @param sourceOwner the source account's owner: only its owner (or staff) may hear the outcome again
 * @param expiresAt   a two-phase transfer's reservation expiry, null for a one-phase transfer
 */
public record TransferOutcome(String status, long amountMinor, String currency, int scale, String reasonCode,
                              String reason, Instant settledAt, Map<String, Long> versions, String sourceOwner,
                              Instant expiresAt) {

    public TransferOutcome {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }

    public TransferOutcome(String status, long amountMinor, String currency, int scale, String reasonCode,
                           String reason, Instant settledAt, Map<String, Long> versions, String sourceOwner) {
        this(status, amountMinor, currency, scale, reasonCode, reason, settledAt, versions, sourceOwner, null);
    }

    /** This outcome with the expiry of the reservation it followed. */
    public TransferOutcome expiringAt(Instant reservationExpiry) {
        return new TransferOutcome(status, amountMinor, currency, scale, reasonCode, reason, settledAt, versions,
                sourceOwner, reservationExpiry);
    }

    /** Ended without moving money: voided by a client or expired. */
    public boolean voided() {
        return "VOIDED".equals(status) || "EXPIRED".equals(status);
    }

    public boolean refunded() {
        return "REFUNDED".equals(status);
    }
}
