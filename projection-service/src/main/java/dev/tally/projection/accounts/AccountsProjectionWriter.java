package dev.tally.projection.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.projection.holds.HoldsTable;
import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.JsonText;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.subjects.Erasure;
import dev.tally.projection.runner.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link AccountsProjection} against PostgreSQL: one select for the touched accounts, one batched
 * upsert; and the account's holds ({@link HoldsTable}) in the same transaction, so that an account's
 * {@code held_minor} and its open holds never disagree, live or rebuilt (a rebuild swaps both tables).
 */
@ApplicationScoped
public class AccountsProjectionWriter implements Projection {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    @Override
    public List<String> tables() {
        return List.of("accounts", HoldsTable.TABLE);
    }

    @Override
    public String name() {
        return AccountsProjection.NAME;
    }

    @Override
    public void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
        List<String> accountIds = events.stream().map(ProjectedEvent::accountId).distinct().toList();
        Map<String, AccountRow> rows = AccountsProjection.apply(load(transaction, accountIds), events);
        JdbcBatch.write(transaction, """
                insert into accounts (account_id, owner, currency, scale, balance_minor, overdraft_limit_minor,
                                      status, version, metadata, opened_at, updated_at, held_minor)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                on conflict (account_id) do update set
                    balance_minor = excluded.balance_minor, overdraft_limit_minor = excluded.overdraft_limit_minor,
                    held_minor = excluded.held_minor,
                    status = excluded.status, version = excluded.version, updated_at = excluded.updated_at
                where accounts.version < excluded.version -- an account's row never goes back to an older version""",
                rows.values(), (statement, row) -> {
                    statement.setString(1, row.accountId());
                    statement.setString(2, row.owner());
                    statement.setString(3, row.currency());
                    statement.setInt(4, row.scale());
                    statement.setLong(5, row.balanceMinor());
                    statement.setLong(6, row.overdraftLimitMinor());
                    statement.setString(7, row.status());
                    statement.setLong(8, row.version());
                    statement.setString(9, JsonText.of(row.metadata()));
                    statement.setTimestamp(10, JdbcBatch.timestamp(row.openedAt()));
                    statement.setTimestamp(11, JdbcBatch.timestamp(row.updatedAt()));
                    statement.setLong(12, row.heldMinor());
                });
        HoldsTable.apply(transaction, events);
        Erasure.erase(transaction, events, "accounts", "t.account_id = f.account", Erasure.jsonValues("metadata"));
        Erasure.erase(transaction, events, "holds", "t.account_id = f.account", Erasure.text("reference"),
                Erasure.jsonValues("metadata"));
    }

    private static Map<String, AccountRow> load(Connection connection, List<String> accountIds) throws SQLException {
        Map<String, AccountRow> rows = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select account_id, owner, currency, scale, balance_minor, held_minor, overdraft_limit_minor, status,
                       version, metadata::text, opened_at, updated_at
                from accounts where account_id = any(?)""")) {
            select.setArray(1, connection.createArrayOf("text", accountIds.toArray()));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), new AccountRow(result.getString(1), result.getString(2),
                            result.getString(3), result.getInt(4), result.getLong(5), result.getLong(6),
                            result.getLong(7), result.getString(8), result.getLong(9), fromJson(result.getString(10)),
                            result.getTimestamp(11).toInstant(), result.getTimestamp(12).toInstant()));
                }
            }
        }
        return rows;
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
