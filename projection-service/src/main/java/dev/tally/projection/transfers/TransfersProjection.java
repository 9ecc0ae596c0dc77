package dev.tally.projection.transfers;

import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.subjects.Erasure;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code transfers}: each transfer with its saga status. A transfer's steps live on two accounts,
 * so on two partitions, and may be read in either order: the credit can arrive before the debit.
 * Every step is therefore an upsert that only ever moves the status forward, never back: PENDING →
 * COMPLETED or REFUNDED; for a two-phase transfer RESERVED → POSTED → COMPLETED or REFUNDED, or
 * RESERVED → VOIDED or EXPIRED (the TransferDebited that follows a TransferPosted leaves it POSTED:
 * PENDING and POSTED are the same step forward). A transfer id is single-use, but a log written
 * before that was enforced may debit one id twice: the row keeps the first request (its source,
 * amount and time), never the last.
 *
 * <p>A two-phase transfer's row is the same whichever of its partitions is read first: its
 * {@code requested_at} is the reservation's (the earliest of its steps), its amount the posted one
 * once posted (the reserved one before, or if voided), its correlation id the reservation's, and
 * {@code two_phase}, {@code reserved_amount_minor} and {@code expires_at} come from the
 * TransferReserved even when the target's TransferCredited created the row.
 *
 * <p>A reversal (a transfer back from an original's target to its source) is a transfer like any
 * other; its row's {@code reversal_of} names the original, from whichever of its TransferDebited and
 * TransferCredited is read first (both carry it). The original's {@code reversed_amount_minor} is
 * what its COMPLETED reversals moved back: after every batch it is set to the sum of those rows, for
 * each transfer the batch touched and each original they name. It is never added to, so it is the
 * same whichever partition is read first (a replay may read the reversal before the original it
 * names, or the original's row may be created by its credit after its reversals completed) and an
 * event delivered again changes nothing. A reversal counts from its TransferCredited, which makes
 * its row COMPLETED (its source's TransferCompleted that follows changes nothing here); a refunded
 * one never was credited, so it reverses nothing.
 */
@ApplicationScoped
public class TransfersProjection implements Projection {

    public static final String NAME = "transfers";

    /**
     * One step's knowledge of a transfer. {@code twoPhase}, {@code reservedAmountMinor} and
     * {@code expiresAt}: what a two-phase transfer's steps say about it (false and null otherwise;
     * the amount and expiry only on its TransferReserved). {@code reversalOf}: the transfer this one
     * reverses, on a reversal's TransferDebited and TransferCredited (null otherwise).
     */
    public record TransferStep(String transferId, String fromAccountId, String toAccountId, long amountMinor,
                               String currency, int scale, String status, String reasonCode, String reason,
                               String reference, Instant requestedAt, Instant completedAt, String correlationId,
                               boolean twoPhase, Long reservedAmountMinor, Instant expiresAt, String reversalOf) {

        TransferStep(String transferId, String fromAccountId, String toAccountId, long amountMinor, String currency,
                     int scale, String status, String reasonCode, String reason, String reference,
                     Instant requestedAt, Instant completedAt, String correlationId, String reversalOf) {
            this(transferId, fromAccountId, toAccountId, amountMinor, currency, scale, status, reasonCode, reason,
                    reference, requestedAt, completedAt, correlationId, false, null, null, reversalOf);
        }

        TransferStep(String transferId, String fromAccountId, String toAccountId, long amountMinor, String currency,
                     int scale, String status, String reasonCode, String reason, String reference,
                     Instant requestedAt, Instant completedAt, String correlationId, boolean twoPhase,
                     Long reservedAmountMinor, Instant expiresAt) {
            this(transferId, fromAccountId, toAccountId, amountMinor, currency, scale, status, reasonCode, reason,
                    reference, requestedAt, completedAt, correlationId, twoPhase, reservedAmountMinor, expiresAt, null);
        }
    }

    @Override
    public List<String> tables() {
        return List.of("transfers");
    }

    @Override
    public String name() {
        return NAME;
    }

    public static List<TransferStep> steps(List<ProjectedEvent> events) {
        List<TransferStep> steps = new ArrayList<>();
        for (ProjectedEvent p : events) {
            String correlation = p.meta().getCorrelationId();
            Instant at = p.meta().getOccurredAt();
            switch (p.event()) {
                case TransferDebited e -> steps.add(new TransferStep(e.getTransferId(), p.accountId(), e.getToAccountId(),
                        e.getAmountMinor(), p.currency(), p.scale(), "PENDING", null, null, e.getReference(), at, null,
                        correlation, e.getReversalOf()));
                // The reference is taken from the source's events only: each side seals its own copy
                // with its own key, so taking whichever came first would depend on partition order.
                case TransferCredited e -> steps.add(new TransferStep(e.getTransferId(), e.getFromAccountId(),
                        p.accountId(), e.getAmountMinor(), p.currency(), p.scale(), "COMPLETED", null, null,
                        null, at, at, correlation, e.getReversalOf()));
                case TransferRefunded e -> steps.add(new TransferStep(e.getTransferId(), p.accountId(),
                        e.getToAccountId(), e.getAmountMinor(), p.currency(), p.scale(), "REFUNDED", e.getReasonCode(),
                        e.getReasonDetail(), null, at, at, correlation, null));
                // Two-phase transfers, on the source: reserved, then posted (the TransferDebited that
                // follows moves the money, as above) or voided. A void's reason is the transfer's reason.
                case TransferReserved e -> steps.add(new TransferStep(e.getTransferId(), p.accountId(),
                        e.getToAccountId(), e.getAmountMinor(), p.currency(), p.scale(), "RESERVED", null, null,
                        e.getReference(), at, null, correlation, true, e.getAmountMinor(), e.getExpiresAt()));
                case TransferPosted e -> steps.add(new TransferStep(e.getTransferId(), p.accountId(),
                        e.getToAccountId(), e.getPostedMinor(), p.currency(), p.scale(), "POSTED", null, null, null,
                        at, null, correlation, true, null, null));
                case TransferVoided e -> steps.add(new TransferStep(e.getTransferId(), p.accountId(),
                        e.getToAccountId(), e.getReleasedMinor(), p.currency(), p.scale(),
                        e.getExpired() ? "EXPIRED" : "VOIDED", null, e.getReason(), null, at, at, correlation, true,
                        null, null));
                default -> {
                    // not a transfer step: deposits, withdrawals, holds, the account's status, TransferCompleted
                }
            }
        }
        return steps;
    }

    @Override
    public void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
        // One statement per step (not merged in memory): two steps of one transfer in the same batch
        // must both pass through the forward-only rules below.
        List<TransferStep> steps = steps(events);
        for (TransferStep step : steps) {
            JdbcBatch.write(transaction, """
                    insert into transfers (transfer_id, from_account_id, to_account_id, amount_minor, currency, scale,
                                           status, reason_code, reason, reference, requested_at, completed_at,
                                           correlation_id, two_phase, reserved_amount_minor, expires_at, reversal_of)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (transfer_id) do update set
                        status = case when %1$s > %2$s then excluded.status else transfers.status end,
                        amount_minor = case when excluded.status = 'POSTED' then excluded.amount_minor
                                            else transfers.amount_minor end,
                        reason_code = coalesce(transfers.reason_code, excluded.reason_code),
                        reason = coalesce(transfers.reason, excluded.reason),
                        reference = coalesce(transfers.reference, excluded.reference),
                        requested_at = case when excluded.status in ('PENDING', 'RESERVED')
                                            then least(transfers.requested_at, excluded.requested_at)
                                            else transfers.requested_at end,
                        completed_at = coalesce(transfers.completed_at, excluded.completed_at),
                        correlation_id = case when excluded.status = 'RESERVED' then excluded.correlation_id
                                              else transfers.correlation_id end,
                        two_phase = transfers.two_phase or excluded.two_phase,
                        reserved_amount_minor = coalesce(transfers.reserved_amount_minor,
                                                         excluded.reserved_amount_minor),
                        expires_at = coalesce(transfers.expires_at, excluded.expires_at),
                        reversal_of = coalesce(transfers.reversal_of, excluded.reversal_of)"""
                            .formatted(rank("excluded.status"), rank("transfers.status")),
                    List.of(step), (upsert, s) -> {
                        upsert.setString(1, s.transferId());
                        upsert.setString(2, s.fromAccountId());
                        upsert.setString(3, s.toAccountId());
                        upsert.setLong(4, s.amountMinor());
                        upsert.setString(5, s.currency());
                        upsert.setInt(6, s.scale());
                        upsert.setString(7, s.status());
                        upsert.setString(8, s.reasonCode());
                        upsert.setString(9, s.reason());
                        upsert.setString(10, s.reference());
                        upsert.setTimestamp(11, JdbcBatch.timestamp(s.requestedAt()));
                        upsert.setTimestamp(12, JdbcBatch.timestamp(s.completedAt()));
                        upsert.setString(13, s.correlationId());
                        upsert.setBoolean(14, s.twoPhase());
                        if (s.reservedAmountMinor() == null) {
                            upsert.setNull(15, Types.BIGINT);
                        } else {
                            upsert.setLong(15, s.reservedAmountMinor());
                        }
                        upsert.setTimestamp(16, JdbcBatch.timestamp(s.expiresAt()));
                        upsert.setString(17, s.reversalOf());
                    });
        }
        recountReversed(transaction, steps);
        // A transfer's reference and a void's reason are the source's, sealed with its key.
        Erasure.erase(transaction, events, "transfers", "t.from_account_id = f.account", Erasure.text("reference"),
                Erasure.text("reason"));
    }

    /**
     * Sets {@code reversed_amount_minor} from the rows, never by adding: for every transfer the steps
     * touched (it may be an original whose row was just created after its reversals) and every
     * original a touched row names (its reversal may just have completed), the sum of the COMPLETED
     * rows that name it. Only rows whose sum changed are written.
     */
    private static void recountReversed(Connection transaction, List<TransferStep> steps) throws SQLException {
        if (steps.isEmpty()) {
            return;
        }
        Object[] touched = steps.stream().map(TransferStep::transferId).distinct().toArray();
        try (PreparedStatement recount = transaction.prepareStatement("""
                with touched as (select unnest(?::text[]) as transfer_id),
                     originals as (select transfer_id from touched
                                   union
                                   select t.reversal_of from transfers t join touched using (transfer_id)
                                   where t.reversal_of is not null),
                     totals as (select o.transfer_id,
                                       coalesce(sum(r.amount_minor) filter (where r.status = 'COMPLETED'), 0) as total
                                from originals o
                                left join transfers r on r.reversal_of = o.transfer_id and r.reversal_of is not null
                                group by o.transfer_id)
                update transfers t set reversed_amount_minor = totals.total
                from totals
                where t.transfer_id = totals.transfer_id and t.reversed_amount_minor <> totals.total""")) {
            recount.setArray(1, transaction.createArrayOf("text", touched));
            recount.executeUpdate();
        }
    }

    /**
     * How far along a status is: a step only ever replaces a status of a lower rank. PENDING and
     * POSTED share one (a two-phase transfer's TransferDebited leaves it POSTED); the four ends share
     * the last (the first end a row learns is the one it keeps, as before).
     */
    private static String rank(String status) {
        return "(case %s when 'RESERVED' then 0 when 'PENDING' then 1 when 'POSTED' then 1 else 2 end)"
                .formatted(status);
    }
}
