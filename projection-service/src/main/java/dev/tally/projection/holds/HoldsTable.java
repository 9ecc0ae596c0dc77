package dev.tally.projection.holds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.JsonText;
import dev.tally.projection.runner.ProjectedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs {@link HoldsProjection} against PostgreSQL, inside the accounts projection's transaction: one
 * select for the holds the batch names, one batched upsert. Like the account rows, a hold's row only
 * moves forward ({@code last_sequence}), so whatever re-applies an event cannot take a hold back.
 */
public final class HoldsTable {

    public static final String TABLE = "holds";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private HoldsTable() {
    }

    public static void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
        Set<String> keys = HoldsProjection.touched(events);
        if (keys.isEmpty()) {
            return;
        }
        Map<String, HoldRow> rows = HoldsProjection.apply(load(transaction, keys), events);
        JdbcBatch.write(transaction, """
                insert into holds (account_id, hold_id, amount_minor, currency, scale, status, captured_minor,
                                   released_minor, expires_at, placed_at, closed_at, reference, metadata,
                                   transaction_id, last_sequence)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                on conflict (account_id, hold_id) do update set
                    status = excluded.status, captured_minor = excluded.captured_minor,
                    released_minor = excluded.released_minor, closed_at = excluded.closed_at,
                    transaction_id = excluded.transaction_id, last_sequence = excluded.last_sequence
                where holds.last_sequence < excluded.last_sequence -- a hold never goes back to an older state""",
                rows.values(), (upsert, row) -> {
                    upsert.setString(1, row.accountId());
                    upsert.setString(2, row.holdId());
                    upsert.setLong(3, row.amountMinor());
                    upsert.setString(4, row.currency());
                    upsert.setInt(5, row.scale());
                    upsert.setString(6, row.status());
                    setLong(upsert, 7, row.capturedMinor());
                    setLong(upsert, 8, row.releasedMinor());
                    upsert.setTimestamp(9, JdbcBatch.timestamp(row.expiresAt()));
                    upsert.setTimestamp(10, JdbcBatch.timestamp(row.placedAt()));
                    upsert.setTimestamp(11, JdbcBatch.timestamp(row.closedAt()));
                    upsert.setString(12, row.reference());
                    upsert.setString(13, JsonText.of(row.metadata()));
                    upsert.setString(14, row.transactionId());
                    upsert.setLong(15, row.lastSequence());
                });
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static Map<String, HoldRow> load(Connection connection, Set<String> keys) throws SQLException {
        List<String> accountIds = new ArrayList<>();
        List<String> holdIds = new ArrayList<>();
        for (String key : keys) {
            int split = key.indexOf('\u0000');
            accountIds.add(key.substring(0, split));
            holdIds.add(key.substring(split + 1));
        }
        Map<String, HoldRow> rows = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select h.account_id, h.hold_id, amount_minor, currency, scale, status, captured_minor, released_minor,
                       expires_at, placed_at, closed_at, reference, metadata::text, transaction_id, last_sequence
                from holds h join unnest(?::text[], ?::text[]) as k(account_id, hold_id)
                     on h.account_id = k.account_id and h.hold_id = k.hold_id""")) {
            select.setArray(1, connection.createArrayOf("text", accountIds.toArray()));
            select.setArray(2, connection.createArrayOf("text", holdIds.toArray()));
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    HoldRow row = new HoldRow(r.getString(1), r.getString(2), r.getLong(3), r.getString(4), r.getInt(5),
                            r.getString(6), (Long) r.getObject(7), (Long) r.getObject(8), r.getTimestamp(9).toInstant(),
                            r.getTimestamp(10).toInstant(),
                            r.getTimestamp(11) == null ? null : r.getTimestamp(11).toInstant(), r.getString(12),
                            fromJson(r.getString(13)), r.getString(14), r.getLong(15));
                    rows.put(HoldRow.key(row.accountId(), row.holdId()), row);
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
