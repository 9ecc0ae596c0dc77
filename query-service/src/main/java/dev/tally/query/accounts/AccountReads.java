package dev.tally.query.accounts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.query.accounts.AccountViews.AccountView;
import dev.tally.query.accounts.AccountViews.EntryView;
import dev.tally.query.platform.QueryParams;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hottest read, {@code GET /accounts/{id}}, in plain JDBC: one prepared primary-key select in
 * auto-commit, straight into the view. Through Hibernate it also began and ended a JTA transaction
 * and built an entity per read, which measured ~3× the database's own time ({@code ./run bench}).
 */
@ApplicationScoped
public class AccountReads {

    private static final String SELECT = "select account_id, owner, currency, scale, balance_minor, held_minor,"
            + " overdraft_limit_minor, status, version, metadata::text, opened_at, updated_at from accounts"
            + " where account_id = ?";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final AgroalDataSource dataSource;

    AccountReads(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The account as it is now, or empty when there is none. */
    public Optional<AccountView> current(String accountId) {
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db.prepareStatement(SELECT)) {
            select.setString(1, accountId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(AccountView.of(row.getString("account_id"), row.getString("owner"),
                        row.getString("currency"), row.getInt("scale"), row.getLong("balance_minor"),
                        row.getLong("held_minor"), row.getLong("overdraft_limit_minor"), row.getString("status"),
                        row.getLong("version"), metadata(row.getString("metadata")), instant(row, "opened_at"),
                        instant(row, "updated_at"), null));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read account " + accountId, e);
        }
    }

    private static final String OWNER_AND_METADATA = "select owner, metadata::text from accounts where account_id = ?";
    private static final String AS_OF = "select account_id, sequence, occurred_at, owner, currency, scale,"
            + " balance_minor, held_minor, overdraft_limit_minor, status, opened_at from account_history"
            + " where account_id = ? and occurred_at <= ? order by occurred_at desc, sequence desc limit 1";

    /**
     * The account as it stood at {@code at}: its last event at or before it (index
     * account_history_as_of), with today's metadata; empty when it did not exist then, or it is not
     * {@code confinedTo}'s (null: anyone's).
     */
    public Optional<AccountView> asOf(String accountId, String confinedTo, Instant at) {
        try (Connection db = dataSource.getConnection()) {
            Optional<Known> known = known(db, accountId);
            if (confinedTo != null && !known.map(account -> account.visibleTo(confinedTo)).orElse(false)) {
                return Optional.empty();
            }
            Map<String, String> metadata = known.map(account -> metadata(account.metadata())).orElse(Map.of());
            try (PreparedStatement select = db.prepareStatement(AS_OF)) {
                select.setString(1, accountId);
                // stored times are whole microseconds (QueryParams.floorToMicros says why this compares right)
                select.setObject(2, OffsetDateTime.ofInstant(QueryParams.floorToMicros(at), ZoneOffset.UTC));
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(AccountView.of(row.getString("account_id"), row.getString("owner"),
                            row.getString("currency"), row.getInt("scale"), row.getLong("balance_minor"),
                            row.getLong("held_minor"), row.getLong("overdraft_limit_minor"), row.getString("status"),
                            row.getLong("sequence"), metadata, instant(row, "opened_at"), instant(row, "occurred_at"), at));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read account " + accountId + " as of " + at, e);
        }
    }

    private static final String ENTRIES = "select sequence, type, amount_minor, balance_after_minor, scale,"
            + " transaction_id, transfer_id, counterparty_account_id, reference, metadata::text, actor, occurred_at,"
            + " reversal_of from entries where account_id = ? and sequence > ? order by sequence limit ?";

    /**
     * A page of the account's statement lines after a sequence (keyset on the primary key), or
     * empty when there is no such account or it is not {@code confinedTo}'s (null: anyone's). The
     * same answer the Hibernate query gave, at a fraction of its cost (it also began a JTA
     * transaction and built an entity per line).
     */
    public Optional<List<EntryView>> entries(String accountId, String confinedTo, long afterSequence, int limit) {
        try (Connection db = dataSource.getConnection()) {
            if (!known(db, accountId).map(account -> account.visibleTo(confinedTo)).orElse(false)) {
                return Optional.empty();
            }
            try (PreparedStatement select = db.prepareStatement(ENTRIES)) {
                select.setString(1, accountId);
                select.setLong(2, afterSequence);
                select.setInt(3, limit);
                List<EntryView> lines = new ArrayList<>(limit);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        int scale = row.getInt("scale");
                        lines.add(new EntryView(row.getLong("sequence"), row.getString("type"),
                                AccountViews.decimal(row.getLong("amount_minor"), scale),
                                AccountViews.decimal(row.getLong("balance_after_minor"), scale),
                                row.getString("transaction_id"), row.getString("transfer_id"),
                                row.getString("counterparty_account_id"), row.getString("reference"),
                                metadata(row.getString("metadata")), row.getString("actor"), instant(row, "occurred_at"),
                                row.getString("reversal_of")));
                    }
                }
                return Optional.of(lines);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the entries of account " + accountId, e);
        }
    }

    /** An account that exists now: its owner and its metadata as JSON text. */
    private record Known(String owner, String metadata) {
        /** Whether a reader confined to {@code confinedTo} (null: to nobody) may see it. */
        boolean visibleTo(String confinedTo) {
            return confinedTo == null || confinedTo.equals(owner);
        }
    }

    private static Optional<Known> known(Connection db, String accountId) throws SQLException {
        try (PreparedStatement select = db.prepareStatement(OWNER_AND_METADATA)) {
            select.setString(1, accountId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Known(row.getString(1), row.getString(2))) : Optional.empty();
            }
        }
    }

    private static Map<String, String> metadata(String json) {
        try {
            return json == null ? null : JSON.readValue(json, STRING_MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("accounts.metadata is not a JSON object of strings", e);
        }
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
