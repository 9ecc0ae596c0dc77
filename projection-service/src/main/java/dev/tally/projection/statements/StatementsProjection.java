package dev.tally.projection.statements;

import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import dev.tally.projection.runner.ProjectedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code statements} read model as a pure function: one signed line per movement of money,
 * with the running balance the event already carries. Events that move no money have no line.
 */
public final class StatementsProjection {

    public static final String NAME = "statements";

    private StatementsProjection() {
    }

    public static List<EntryRow> entries(List<ProjectedEvent> events) {
        List<EntryRow> entries = new ArrayList<>();
        events.forEach(event -> entryOf(event).ifPresent(entries::add));
        return entries;
    }

    public static Optional<EntryRow> entryOf(ProjectedEvent projected) {
        return Optional.ofNullable(switch (projected.event()) {
            // A correcting entry names the withdrawal or deposit it reverses (reversalOf; null otherwise).
            case FundsDeposited e -> line(projected, "DEPOSIT", e.getAmountMinor(), e.getBalanceAfterMinor(),
                    e.getTransactionId(), null, null, e.getReference(), e.getMetadata(), e.getReversalOf());
            // Also a hold's capture: the FundsWithdrawn right after HoldCaptured is what moves its money.
            case FundsWithdrawn e -> line(projected, "WITHDRAWAL", -e.getAmountMinor(), e.getBalanceAfterMinor(),
                    e.getTransactionId(), null, null, e.getReference(), e.getMetadata(), e.getReversalOf());
            // One transfer, one transaction on each side: the transfer id doubles as the transaction id.
            // Also a two-phase transfer's: the TransferDebited right after TransferPosted moves its money.
            // A reversal's two lines name the transfer it reverses (reversalOf, v2; null otherwise).
            case TransferDebited e -> line(projected, "TRANSFER_OUT", -e.getAmountMinor(), e.getBalanceAfterMinor(),
                    e.getTransferId(), e.getTransferId(), e.getToAccountId(), e.getReference(), e.getMetadata(),
                    e.getReversalOf());
            case TransferCredited e -> line(projected, "TRANSFER_IN", e.getAmountMinor(), e.getBalanceAfterMinor(),
                    e.getTransferId(), e.getTransferId(), e.getFromAccountId(), e.getReference(), e.getMetadata(),
                    e.getReversalOf());
            // A refund carries no reversalOf: the refunded reversal's TRANSFER_OUT line names the original.
            case TransferRefunded e -> line(projected, "TRANSFER_REFUND", e.getAmountMinor(), e.getBalanceAfterMinor(),
                    e.getTransferId(), e.getTransferId(), e.getToAccountId(), null,
                    Map.of("refundReason", e.getReasonCode()), null);
            // Holds reserve and free money without moving it: no line (held and available are the account's).
            case FundsHeld e -> null;
            case HoldCaptured e -> null;
            case HoldReleased e -> null;
            case HoldExpired e -> null;
            // A two-phase transfer's reservation is a hold: no line until its TransferDebited.
            case TransferReserved e -> null;
            case TransferPosted e -> null;
            case TransferVoided e -> null;
            default -> null;
        });
    }

    private static EntryRow line(ProjectedEvent projected, String type, long signedAmount, long balanceAfter,
                                 String transactionId, String transferId, String counterparty, String reference,
                                 Map<String, String> metadata, String reversalOf) {
        EventMeta meta = projected.meta();
        return new EntryRow(meta.getAccountId(), meta.getSequence(), type, signedAmount, balanceAfter,
                projected.currency(), projected.scale(), transactionId, transferId, counterparty, reference, metadata,
                meta.getActor(), meta.getEventId(), meta.getOccurredAt(), reversalOf);
    }
}
