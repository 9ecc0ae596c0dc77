package dev.tally.projection.history;

import dev.tally.projection.accounts.AccountRow;
import dev.tally.projection.accounts.AccountsProjection;
import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.runner.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code account-history}: the account as it stood after each of its events (balance and held), one
 * row per event.
 * "The account as of T" is then the last row at or before T: one index lookup, whether the account
 * has ten events or ten million.
 */
@ApplicationScoped
public class AccountHistoryProjection implements Projection {

    public static final String NAME = "account-history";

    @Override
    public List<String> tables() {
        return List.of("account_history", "history_counts");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Pure: the row after every event, starting from each account's latest known row. */
    public static List<AccountRow> rows(Map<String, AccountRow> latest, List<ProjectedEvent> events) {
        Map<String, AccountRow> current = new HashMap<>(latest);
        List<AccountRow> rows = new ArrayList<>();
        for (ProjectedEvent event : events) {
            AccountRow next = AccountsProjection.next(current.get(event.accountId()), event);
            current.put(event.accountId(), next);
            rows.add(next);
        }
        return rows;
    }

    @Override
    public void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
        List<String> accountIds = events.stream().map(ProjectedEvent::accountId).distinct().toList();
        JdbcBatch.write(transaction, """
                insert into account_history (account_id, sequence, occurred_at, owner, currency, scale, balance_minor,
                                             overdraft_limit_minor, status, opened_at, held_minor)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows(latest(transaction, accountIds), events),
                (insert, row) -> {
                    insert.setString(1, row.accountId());
                    insert.setLong(2, row.version());
                    insert.setTimestamp(3, JdbcBatch.timestamp(row.updatedAt()));
                    insert.setString(4, row.owner());
                    insert.setString(5, row.currency());
                    insert.setInt(6, row.scale());
                    insert.setLong(7, row.balanceMinor());
                    insert.setLong(8, row.overdraftLimitMinor());
                    insert.setString(9, row.status());
                    insert.setTimestamp(10, JdbcBatch.timestamp(row.openedAt()));
                    insert.setLong(11, row.heldMinor());
                });
        // Each account's running count, what the scheduled reconciliation compares with its version.
        Map<String, Long> counts = new java.util.TreeMap<>();
        events.forEach(event -> counts.merge(event.accountId(), 1L, Long::sum));
        JdbcBatch.write(transaction, """
                insert into history_counts (account_id, events) values (?, ?)
                on conflict (account_id) do update set events = history_counts.events + excluded.events""",
                List.copyOf(counts.entrySet()), (upsert, count) -> {
                    upsert.setString(1, count.getKey());
                    upsert.setLong(2, count.getValue());
                });
    }

    private static Map<String, AccountRow> latest(Connection connection, List<String> accountIds) throws SQLException {
        Map<String, AccountRow> rows = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select h.account_id, h.owner, h.currency, h.scale, h.balance_minor, h.held_minor,
                       h.overdraft_limit_minor, h.status, h.sequence, h.opened_at, h.occurred_at
                from unnest(?::text[]) as wanted(account_id)
                cross join lateral (select * from account_history a where a.account_id = wanted.account_id
                                    order by a.sequence desc limit 1) h""")) {
            select.setArray(1, connection.createArrayOf("text", accountIds.toArray()));
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), new AccountRow(r.getString(1), r.getString(2), r.getString(3), r.getInt(4),
                            r.getLong(5), r.getLong(6), r.getLong(7), r.getString(8), r.getLong(9), Map.of(),
                            r.getTimestamp(10).toInstant(), r.getTimestamp(11).toInstant()));
                }
            }
        }
        return rows;
    }
}
