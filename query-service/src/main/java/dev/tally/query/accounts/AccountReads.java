package dev.tally.query.accounts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.query.accounts.AccountViews.AccountView;
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
