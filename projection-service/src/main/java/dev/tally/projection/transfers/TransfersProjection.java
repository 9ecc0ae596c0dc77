package dev.tally.projection.transfers;

import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferRefunded;
import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.runner.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code transfers}: each transfer with its saga status. A transfer's steps live on two accounts,
 * so on two partitions, and may be read in either order: the credit can arrive before the debit.
 * Every step is therefore an upsert that only ever moves the status forward (PENDING → COMPLETED
 * or REFUNDED), never back. A transfer id is single-use, but a log written before that was enforced
 * may debit one id twice: the row keeps the first request (its source, amount and time), never the last.
 */
@ApplicationScoped
public class TransfersProjection implements Projection {

    public static final String NAME = "transfers";

    /** One step's knowledge of a transfer. */
    public record TransferStep(String transferId, String fromAccountId, String toAccountId, long amountMinor,
                               String currency, int scale, String status, String reasonCode, String reason,
                               String reference, Instant requestedAt, Instant completedAt, String correlationId) {
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
                        correlation));
                case TransferCredited e -> steps.add(new TransferStep(e.getTransferId(), e.getFromAccountId(),
                        p.accountId(), e.getAmountMinor(), p.currency(), p.scale(), "COMPLETED", null, null,
                        e.getReference(), at, at, correlation));
                case TransferRefunded e -> steps.add(new TransferStep(e.getTransferId(), p.accountId(),
                        e.getToAccountId(), e.getAmountMinor(), p.currency(), p.scale(), "REFUNDED", e.getReasonCode(),
                        e.getReasonDetail(), null, at, at, correlation));
                default -> {
                    // not a transfer step: deposits, withdrawals, holds, the account's status
                }
            }
        }
        return steps;
    }

    @Override
    public void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
        // One statement per step (not merged in memory): two steps of one transfer in the same batch
        // must both pass through the forward-only rules below.
        for (TransferStep step : steps(events)) {
            JdbcBatch.write(transaction, """
                    insert into transfers (transfer_id, from_account_id, to_account_id, amount_minor, currency, scale,
                                           status, reason_code, reason, reference, requested_at, completed_at,
                                           correlation_id)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (transfer_id) do update set
                        status = case when transfers.status = 'PENDING' then excluded.status else transfers.status end,
                        reason_code = coalesce(transfers.reason_code, excluded.reason_code),
                        reason = coalesce(transfers.reason, excluded.reason),
                        reference = coalesce(transfers.reference, excluded.reference),
                        requested_at = case when excluded.status = 'PENDING'
                                            then least(transfers.requested_at, excluded.requested_at)
                                            else transfers.requested_at end,
                        completed_at = coalesce(transfers.completed_at, excluded.completed_at)""",
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
                    });
        }
    }
}
