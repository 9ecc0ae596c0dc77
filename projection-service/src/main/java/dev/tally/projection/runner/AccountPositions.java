package dev.tally.projection.runner;

import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Per projection and account: the sequence of the last event applied, and the account's currency.
 * It makes every projection idempotent (an event at or below the position is skipped, whatever
 * redelivered it), refuses gaps, and is what a consistency token is compared with.
 */
public final class AccountPositions {

    public record Position(long version, String currency, int scale) {
    }

    private AccountPositions() {
    }

    /** The events of a batch that this projection has not applied yet, and the positions they lead to. */
    record Admitted(List<ProjectedEvent> events, Map<String, Position> positions) {
    }

    static Admitted admit(Connection transaction, String projection, List<SpecificRecord> batch) throws SQLException {
        List<String> accountIds = batch.stream().map(e -> ((EventMeta) e.get(0)).getAccountId()).distinct().toList();
        Map<String, Position> positions = load(transaction, projection, accountIds);
        Map<String, Position> changed = new LinkedHashMap<>();
        List<ProjectedEvent> admitted = new ArrayList<>();
        for (SpecificRecord event : batch) {
            EventMeta meta = (EventMeta) event.get(0);
            Position position = changed.getOrDefault(meta.getAccountId(), positions.get(meta.getAccountId()));
            long applied = position == null ? 0 : position.version();
            if (meta.getSequence() <= applied) {
                continue;
            }
            if (meta.getSequence() != applied + 1) {
                throw new IllegalStateException("Account %s: event %d follows %d; the log has a gap"
                        .formatted(meta.getAccountId(), meta.getSequence(), applied));
            }
            Position next;
            if (event instanceof AccountOpened opened) {
                next = new Position(meta.getSequence(), opened.getCurrency(), opened.getScale());
            } else if (position == null) {
                throw new IllegalStateException("Account %s: %s before AccountOpened"
                        .formatted(meta.getAccountId(), event.getSchema().getName()));
            } else {
                next = new Position(meta.getSequence(), position.currency(), position.scale());
            }
            changed.put(meta.getAccountId(), next);
            admitted.add(new ProjectedEvent(event, meta, next.currency(), next.scale()));
        }
        return new Admitted(admitted, changed);
    }

    public static Map<String, Position> load(Connection connection, String projection, Collection<String> accountIds)
            throws SQLException {
        Map<String, Position> positions = new HashMap<>();
        if (accountIds.isEmpty()) {
            return positions;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                select account_id, version, currency, scale from projection_account_positions
                where projection = ? and account_id = any(?)""")) {
            select.setString(1, projection);
            select.setArray(2, connection.createArrayOf("text", accountIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    positions.put(rows.getString(1), new Position(rows.getLong(2), rows.getString(3), rows.getInt(4)));
                }
            }
        }
        return positions;
    }

    static void save(Connection transaction, String projection, Map<String, Position> positions) throws SQLException {
        if (positions.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = transaction.prepareStatement("""
                insert into projection_account_positions (projection, account_id, version, currency, scale)
                values (?, ?, ?, ?, ?)
                on conflict (projection, account_id) do update set version = excluded.version
                -- only forward: with the fence no writer should ever try otherwise, and if one does it changes nothing
                where projection_account_positions.version < excluded.version""")) {
            for (Map.Entry<String, Position> entry : positions.entrySet()) {
                upsert.setString(1, projection);
                upsert.setString(2, entry.getKey());
                upsert.setLong(3, entry.getValue().version());
                upsert.setString(4, entry.getValue().currency());
                upsert.setInt(5, entry.getValue().scale());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }
}
