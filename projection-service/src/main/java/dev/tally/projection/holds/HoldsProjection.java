package dev.tally.projection.holds;

import dev.tally.events.EventMeta;
import dev.tally.events.FundsHeld;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import dev.tally.projection.runner.ProjectedEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code holds} read model as a pure fold: given the stored rows of the holds a batch touches
 * and the batch's events, the rows to write. Part of the {@code accounts} projection (one
 * transaction with the account's held amount); events that are not about holds change nothing.
 * A two-phase transfer's reservation is a hold of its source like any other, with hold id
 * {@code transfer/<transferId>} ({@link HoldRow#ofTransfer}): TransferReserved places it,
 * TransferPosted captures it (the posted amount, its transaction the transfer: the TransferDebited
 * that follows), TransferVoided releases it, or expires it when the write model voided it at its expiry.
 */
public final class HoldsProjection {

    private HoldsProjection() {
    }

    /** The holds the batch's events name, as {@link HoldRow#key} (to load their stored rows). */
    public static Set<String> touched(List<ProjectedEvent> events) {
        return events.stream().map(HoldsProjection::holdKey).filter(java.util.Objects::nonNull)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    public static Map<String, HoldRow> apply(Map<String, HoldRow> stored, List<ProjectedEvent> events) {
        Map<String, HoldRow> touched = new LinkedHashMap<>();
        for (ProjectedEvent projected : events) {
            String key = holdKey(projected);
            if (key != null) {
                HoldRow row = next(touched.getOrDefault(key, stored.get(key)), projected);
                touched.put(key, row);
            }
        }
        return touched;
    }

    /**
     * The hold after one event about it; {@code row} is null only before its FundsHeld. A close of a
     * hold never placed, or of one already closed, is a broken log: refused, so the event is parked.
     */
    static HoldRow next(HoldRow row, ProjectedEvent projected) {
        EventMeta meta = projected.meta();
        long sequence = meta.getSequence();
        var at = meta.getOccurredAt();
        return switch (projected.event()) {
            case FundsHeld e -> {
                if (row != null) {
                    throw new IllegalStateException("Account %s: hold %s placed twice (sequences %d and %d)"
                            .formatted(meta.getAccountId(), e.getHoldId(), row.lastSequence(), sequence));
                }
                yield new HoldRow(meta.getAccountId(), e.getHoldId(), e.getAmountMinor(), e.getCurrency(),
                        projected.scale(), HoldRow.OPEN, null, null, e.getExpiresAt(), at, null, e.getReference(),
                        e.getMetadata(), null, sequence);
            }
            case HoldCaptured e -> open(row, projected, e.getHoldId()).closed("CAPTURED", e.getCapturedMinor(),
                    e.getReleasedMinor(), e.getTransactionId(), at, sequence);
            case HoldReleased e -> open(row, projected, e.getHoldId()).closed("RELEASED", null, e.getReleasedMinor(),
                    null, at, sequence);
            case HoldExpired e -> open(row, projected, e.getHoldId()).closed("EXPIRED", null, e.getReleasedMinor(),
                    null, at, sequence);
            case TransferReserved e -> {
                String holdId = HoldRow.ofTransfer(e.getTransferId());
                if (row != null) {
                    throw new IllegalStateException("Account %s: transfer %s reserved twice (sequences %d and %d)"
                            .formatted(meta.getAccountId(), e.getTransferId(), row.lastSequence(), sequence));
                }
                yield new HoldRow(meta.getAccountId(), holdId, e.getAmountMinor(), e.getCurrency(), projected.scale(),
                        HoldRow.OPEN, null, null, e.getExpiresAt(), at, null, e.getReference(), e.getMetadata(), null,
                        sequence);
            }
            case TransferPosted e -> open(row, projected, HoldRow.ofTransfer(e.getTransferId())).closed("CAPTURED",
                    e.getPostedMinor(), e.getReleasedMinor(), e.getTransferId(), at, sequence);
            case TransferVoided e -> open(row, projected, HoldRow.ofTransfer(e.getTransferId())).closed(
                    e.getExpired() ? "EXPIRED" : "RELEASED", null, e.getReleasedMinor(), null, at, sequence);
            default -> row;
        };
    }

    private static HoldRow open(HoldRow row, ProjectedEvent projected, String holdId) {
        if (row == null || !HoldRow.OPEN.equals(row.status())) {
            throw new IllegalStateException("Account %s: %s of hold %s, which is %s".formatted(
                    projected.accountId(), projected.event().getSchema().getName(), holdId,
                    row == null ? "not placed" : row.status()));
        }
        return row;
    }

    private static String holdKey(ProjectedEvent projected) {
        String holdId = switch (projected.event()) {
            case FundsHeld e -> e.getHoldId();
            case HoldCaptured e -> e.getHoldId();
            case HoldReleased e -> e.getHoldId();
            case HoldExpired e -> e.getHoldId();
            case TransferReserved e -> HoldRow.ofTransfer(e.getTransferId());
            case TransferPosted e -> HoldRow.ofTransfer(e.getTransferId());
            case TransferVoided e -> HoldRow.ofTransfer(e.getTransferId());
            default -> null;
        };
        return holdId == null ? null : HoldRow.key(projected.accountId(), holdId);
    }
}
