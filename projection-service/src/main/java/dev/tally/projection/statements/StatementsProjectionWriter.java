package dev.tally.projection.statements;

import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.JsonText;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.subjects.Erasure;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Appends statement lines, one batched insert per batch, and moves each account's running totals
 * ({@code statement_totals}, what the scheduled reconciliation compares) by the same lines.
 */
@ApplicationScoped
public class StatementsProjectionWriter implements Projection {

    @Override
    public List<String> tables() {
        return List.of("entries", "statement_totals");
    }

    @Override
    public String name() {
        return StatementsProjection.NAME;
    }

    @Override
    public void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
        List<EntryRow> entries = StatementsProjection.entries(events);
        insertLines(transaction, entries);
        addToTotals(transaction, entries);
        Erasure.erase(transaction, events, "entries", "t.account_id = f.account", Erasure.text("reference"),
                Erasure.jsonValues("metadata"));
    }

    private static void insertLines(Connection transaction, List<EntryRow> entries) throws SQLException {
        JdbcBatch.write(transaction, """
                insert into entries (account_id, sequence, type, amount_minor, balance_after_minor, currency, scale,
                                     transaction_id, transfer_id, counterparty_account_id, reference, metadata,
                                     actor, event_id, occurred_at, reversal_of)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""",
                entries, (insert, entry) -> {
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

    /** One upsert per account of the batch, in account order (two writers never wait on each other in a cycle). */
    private static void addToTotals(Connection transaction, List<EntryRow> entries) throws SQLException {
        Map<String, Totals> byAccount = new TreeMap<>();
        for (EntryRow entry : entries) {
            byAccount.computeIfAbsent(entry.accountId(), id -> new Totals(entry.currency())).add(entry);
        }
        JdbcBatch.write(transaction, """
                insert into statement_totals (account_id, currency, total_minor, deposits_minor, withdrawals_minor, lines)
                values (?, ?, ?, ?, ?, ?)
                on conflict (account_id) do update set
                    total_minor = statement_totals.total_minor + excluded.total_minor,
                    deposits_minor = statement_totals.deposits_minor + excluded.deposits_minor,
                    withdrawals_minor = statement_totals.withdrawals_minor + excluded.withdrawals_minor,
                    lines = statement_totals.lines + excluded.lines""",
                List.copyOf(byAccount.entrySet()), (upsert, account) -> {
                    Totals t = account.getValue();
                    upsert.setString(1, account.getKey());
                    upsert.setString(2, t.currency);
                    upsert.setLong(3, t.total);
                    upsert.setLong(4, t.deposits);
                    upsert.setLong(5, t.withdrawals);
                    upsert.setLong(6, t.lines);
                });
    }

    /** What one batch adds to an account's totals; the types as the full reconciliation reads them. */
    private static final class Totals {
        private final String currency;
        private long total;
        private long deposits;
        private long withdrawals;
        private long lines;

        Totals(String currency) {
            this.currency = currency;
        }

        void add(EntryRow entry) {
            total = Math.addExact(total, entry.amountMinor());
            if (entry.type().equals("DEPOSIT")) {
                deposits = Math.addExact(deposits, entry.amountMinor());
            } else if (entry.type().equals("WITHDRAWAL")) {
                withdrawals = Math.addExact(withdrawals, entry.amountMinor());
            }
            lines++;
        }
    }
}
