package dev.tally.projection.daily;

import dev.tally.events.FundsWithdrawn;
import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.statements.EntryRow;
import dev.tally.projection.statements.StatementsProjection;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code daily-balances}: per account and UTC day, opening and closing balance, money in, money out, lines. */
@ApplicationScoped
public class DailyBalancesProjection implements Projection {

    public static final String NAME = "daily-balances";

    public record DayRow(String accountId, LocalDate day, long openingMinor, long closingMinor, long inMinor,
                         long outMinor, int entryCount) {

        String key() {
            return accountId + '\u0000' + day;
        }
    }

    @Override
    public List<String> tables() {
        return List.of("daily_balances");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Pure: the day rows after the batch's movements, starting from the rows already stored. */
    public static Map<String, DayRow> apply(Map<String, DayRow> stored, List<ProjectedEvent> events) {
        Map<String, DayRow> touched = new LinkedHashMap<>();
        for (ProjectedEvent event : events) {
            EntryRow entry = StatementsProjection.entryOf(event).orElse(null);
            if (entry == null) {
                continue;
            }
            LocalDate day = LocalDate.ofInstant(entry.occurredAt(), ZoneOffset.UTC);
            String key = entry.accountId() + '\u0000' + day;
            DayRow row = touched.getOrDefault(key, stored.get(key));
            if (row == null) {
                long opening = balanceBefore(event, entry);
                row = new DayRow(entry.accountId(), day, opening, opening, 0, 0, 0);
            }
            long amount = entry.amountMinor();
            touched.put(key, new DayRow(row.accountId(), day, row.openingMinor(), entry.balanceAfterMinor(),
                    row.inMinor() + Math.max(amount, 0), row.outMinor() + Math.max(-amount, 0), row.entryCount() + 1));
        }
        return touched;
    }

    /**
     * A withdrawal says its balance before (FundsWithdrawn v2 on, upcast for v1 events; it may be
     * negative). Null is "unknown" (no Tally producer writes it): then, like other lines, it follows
     * from the balance after and the signed amount.
     */
    private static long balanceBefore(ProjectedEvent event, EntryRow entry) {
        if (event.event() instanceof FundsWithdrawn withdrawn && withdrawn.getBalanceBeforeMinor() != null) {
            return withdrawn.getBalanceBeforeMinor();
        }
        return entry.balanceAfterMinor() - entry.amountMinor();
    }

    @Override
    public void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
        List<String> accountIds = events.stream().map(ProjectedEvent::accountId).distinct().toList();
        Map<String, DayRow> rows = apply(stored(transaction, accountIds, events), events);
        JdbcBatch.write(transaction, """
                insert into daily_balances (account_id, day, opening_balance_minor, closing_balance_minor,
                                            total_in_minor, total_out_minor, entry_count)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (account_id, day) do update set closing_balance_minor = excluded.closing_balance_minor,
                    total_in_minor = excluded.total_in_minor, total_out_minor = excluded.total_out_minor,
                    entry_count = excluded.entry_count""", rows.values(), (upsert, row) -> {
                    upsert.setString(1, row.accountId());
                    upsert.setDate(2, Date.valueOf(row.day()));
                    upsert.setLong(3, row.openingMinor());
                    upsert.setLong(4, row.closingMinor());
                    upsert.setLong(5, row.inMinor());
                    upsert.setLong(6, row.outMinor());
                    upsert.setInt(7, row.entryCount());
                });
    }

    private static Map<String, DayRow> stored(Connection connection, List<String> accountIds,
                                              List<ProjectedEvent> events) throws SQLException {
        LocalDate first = events.stream().map(e -> LocalDate.ofInstant(e.meta().getOccurredAt(), ZoneOffset.UTC))
                .min(LocalDate::compareTo).orElse(LocalDate.now());
        Map<String, DayRow> rows = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select account_id, day, opening_balance_minor, closing_balance_minor, total_in_minor, total_out_minor,
                       entry_count
                from daily_balances where account_id = any(?) and day >= ?""")) {
            select.setArray(1, connection.createArrayOf("text", accountIds.toArray()));
            select.setDate(2, Date.valueOf(first));
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    DayRow row = new DayRow(r.getString(1), r.getDate(2).toLocalDate(), r.getLong(3), r.getLong(4),
                            r.getLong(5), r.getLong(6), r.getInt(7));
                    rows.put(row.key(), row);
                }
            }
        }
        return rows;
    }
}
