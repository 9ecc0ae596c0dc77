package dev.tally.projection.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.events.EventMeta;
import dev.tally.projection.runner.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * Runs {@link AccountsProjection} against PostgreSQL: one select for the touched accounts, the
 * pure fold, then one batched upsert and one batched insert (the driver rewrites the batches into
 * multi-row statements), whatever the batch size.
 */
@ApplicationScoped
public class AccountsProjectionWriter implements Projection {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    @Override
    public String name() {
        return AccountsProjection.NAME;
    }

    @Override
    public void apply(Connection transaction, List<SpecificRecord> events) throws SQLException {
        Set<String> accountIds = new LinkedHashSet<>();
        for (SpecificRecord event : events) {
            accountIds.add(((EventMeta) event.get(0)).getAccountId());
        }
        AccountsProjection.Changes changes = AccountsProjection.apply(load(transaction, accountIds), events);
        upsertAccounts(transaction, changes.accounts().values());
        insertEntries(transaction, changes.entries());
    }

    private static Map<String, AccountRow> load(Connection connection, Set<String> accountIds) throws SQLException {
        Map<String, AccountRow> rows = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select account_id, owner, currency, scale, balance_minor, overdraft_limit_minor, status, version,
                       metadata::text, opened_at, updated_at
                from accounts where account_id = any(?)""")) {
            Array ids = connection.createArrayOf("text", accountIds.toArray());
            select.setArray(1, ids);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), new AccountRow(result.getString(1), result.getString(2),
                            result.getString(3), result.getInt(4), result.getLong(5), result.getLong(6),
                            result.getString(7), result.getLong(8), fromJson(result.getString(9)),
                            result.getTimestamp(10).toInstant(), result.getTimestamp(11).toInstant()));
                }
            }
        }
        return rows;
    }

    private static void upsertAccounts(Connection transaction, Iterable<AccountRow> rows) throws SQLException {
        try (PreparedStatement upsert = transaction.prepareStatement("""
                insert into accounts (account_id, owner, currency, scale, balance_minor, overdraft_limit_minor,
                                      status, version, metadata, opened_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                on conflict (account_id) do update set
                    balance_minor = excluded.balance_minor, overdraft_limit_minor = excluded.overdraft_limit_minor,
                    status = excluded.status, version = excluded.version, updated_at = excluded.updated_at""")) {
            for (AccountRow row : rows) {
                upsert.setString(1, row.accountId());
                upsert.setString(2, row.owner());
                upsert.setString(3, row.currency());
                upsert.setInt(4, row.scale());
                upsert.setLong(5, row.balanceMinor());
                upsert.setLong(6, row.overdraftLimitMinor());
                upsert.setString(7, row.status());
                upsert.setLong(8, row.version());
                upsert.setString(9, toJson(row.metadata()));
                upsert.setTimestamp(10, Timestamp.from(row.openedAt()));
                upsert.setTimestamp(11, Timestamp.from(row.updatedAt()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void insertEntries(Connection transaction, List<EntryRow> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = transaction.prepareStatement("""
                insert into entries (account_id, sequence, type, amount_minor, balance_after_minor, currency, scale,
                                     transaction_id, transfer_id, counterparty_account_id, reference, metadata,
                                     actor, event_id, occurred_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")) {
            for (EntryRow entry : entries) {
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
                insert.setString(12, toJson(entry.metadata()));
                insert.setString(13, entry.actor());
                insert.setString(14, entry.eventId());
                insert.setTimestamp(15, Timestamp.from(entry.occurredAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static String toJson(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
