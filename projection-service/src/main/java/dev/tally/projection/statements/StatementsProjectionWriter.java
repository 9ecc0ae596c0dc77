package dev.tally.projection.statements;

import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.JsonText;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.runner.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Appends statement lines, one batched insert per batch. */
@ApplicationScoped
public class StatementsProjectionWriter implements Projection {

    @Override
    public List<String> tables() {
        return List.of("entries");
    }

    @Override
    public String name() {
        return StatementsProjection.NAME;
    }

    @Override
    public void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
        JdbcBatch.write(transaction, """
                insert into entries (account_id, sequence, type, amount_minor, balance_after_minor, currency, scale,
                                     transaction_id, transfer_id, counterparty_account_id, reference, metadata,
                                     actor, event_id, occurred_at, reversal_of)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""",
                StatementsProjection.entries(events), (insert, entry) -> {
                    insert.setString(1, entry.accountId());
                    insert.setLong(2, entry.sequence());
                    insert.setString(3, entry.type());
                    insert.setLong(4, entry.amountMinor());
                    insert.setLong(5, entry.balanceAfterMinor());
                    insert.setString(6, entry.currency());
                    insert.setInt(7, entry.scale());
                    insert.setString(8, entry.transactionId());
                    insert.setString(9, entry.transferId());
                    insert.setString(10, entry.counterpartyAccountId());
                    insert.setString(11, entry.reference());
                    insert.setString(12, JsonText.of(entry.metadata()));
                    insert.setString(13, entry.actor());
                    insert.setString(14, entry.eventId());
                    insert.setTimestamp(15, JdbcBatch.timestamp(entry.occurredAt()));
                    insert.setString(16, entry.reversalOf());
                });
    }
}
