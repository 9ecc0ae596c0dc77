package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.Hold;
import dev.tally.command.ledger.Money;
import dev.tally.command.writemodel.CommandResult.HoldView;
import java.time.Instant;

/**
 * One hold id of one account, in the write model's {@code holds} store, kept for good once closed:
 * a hold id moves money once, ever, and a late capture or a repeated placement learns what became
 * of it. (The account's state keeps only the open holds, which decide what it can spend.)
 *
 * @param requestHash what the hold was placed with: the same placement again is answered, not refused
 */
public record HoldRecord(String holdId, String accountId, Hold.Status status, long amountMinor, Long capturedMinor,
                         Long releasedMinor, String currency, int scale, Instant expiresAt, Instant placedAt,
                         Instant closedAt, String requestHash, String transactionId) {

    /** The store key: holds are per account, so the account id leads (and picks the partition). */
    public static String storeKey(String accountId, String holdId) {
        return accountId + '\u0000' + holdId;
    }

    /** The account a store key belongs to. */
    static String accountOf(String storeKey) {
        return storeKey.substring(0, storeKey.indexOf('\u0000'));
    }

    /** This hold after {@code event} at {@code at}; null for an event that is not about holds. */
    static HoldRecord after(HoldRecord before, String accountId, AccountEvent event, Asset asset, Instant at,
                            String requestHash) {
        return switch (event) {
            case AccountEvent.FundsHeld e -> new HoldRecord(e.holdId(), accountId, Hold.Status.OPEN, e.amountMinor(),
                    null, null, asset.code(), asset.scale(), e.expiresAt(), at, null, requestHash, null);
            case AccountEvent.HoldCaptured e -> open(before, e).closed(Hold.Status.CAPTURED, e.capturedMinor(), e.releasedMinor(),
                    at, e.transactionId());
            case AccountEvent.HoldReleased e -> open(before, e).closed(Hold.Status.RELEASED, null, e.releasedMinor(), at, null);
            case AccountEvent.HoldExpired e -> open(before, e).closed(Hold.Status.EXPIRED, null, e.releasedMinor(), at, null);
            // A two-phase transfer's reservation is a hold too: its id says which transfer owns it.
            case AccountEvent.TransferReserved e -> new HoldRecord(Hold.reservationOf(e.transferId()), accountId,
                    Hold.Status.OPEN, e.amountMinor(), null, null, asset.code(), asset.scale(), e.expiresAt(), at, null,
                    requestHash, null);
            case AccountEvent.TransferPosted e -> open(before, e).closed(Hold.Status.CAPTURED, e.postedMinor(),
                    e.releasedMinor(), at, e.transferId());
            case AccountEvent.TransferVoided e -> open(before, e).closed(e.expired() ? Hold.Status.EXPIRED
                    : Hold.Status.RELEASED, null, e.releasedMinor(), at, null);
            default -> null;
        };
    }

    /** The hold id an event is about, or null. */
    static String holdIdOf(AccountEvent event) {
        return switch (event) {
            case AccountEvent.FundsHeld e -> e.holdId();
            case AccountEvent.HoldCaptured e -> e.holdId();
            case AccountEvent.HoldReleased e -> e.holdId();
            case AccountEvent.HoldExpired e -> e.holdId();
            case AccountEvent.TransferReserved e -> Hold.reservationOf(e.transferId());
            case AccountEvent.TransferPosted e -> Hold.reservationOf(e.transferId());
            case AccountEvent.TransferVoided e -> Hold.reservationOf(e.transferId());
            default -> null;
        };
    }

    private static HoldRecord open(HoldRecord before, AccountEvent closing) {
        if (before == null || before.status() != Hold.Status.OPEN) {
            throw new IllegalStateException("%s closes a hold that is not open (%s)".formatted(closing,
                    before == null ? "never placed" : before.status()));
        }
        return before;
    }

    private HoldRecord closed(Hold.Status newStatus, Long captured, Long released, Instant at, String withdrawal) {
        return new HoldRecord(holdId, accountId, newStatus, amountMinor, captured, released, currency, scale,
                expiresAt, placedAt, at, requestHash, withdrawal);
    }

    HoldView view() {
        Asset asset = new Asset(currency, scale);
        return new HoldView(holdId, accountId, Money.format(amountMinor, asset), currency, status.name(),
                capturedMinor == null ? null : Money.format(capturedMinor, asset),
                releasedMinor == null ? null : Money.format(releasedMinor, asset), expiresAt, placedAt, closedAt,
                transactionId);
    }
}
