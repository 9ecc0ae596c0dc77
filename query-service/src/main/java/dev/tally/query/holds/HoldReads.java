package dev.tally.query.holds;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.query.accounts.AccountViews;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /accounts/{id}/holds} in plain JDBC, like {@code GET /accounts/{id}}: one prepared
 * statement that reads the account's owner (for confinement and existence) and a keyset page of its
 * holds, by hold id, in one round trip and one snapshot. A status filter is a range of the index
 * {@code holds_by_status}; without one, of the primary key.
 */
@ApplicationScoped
public class HoldReads {

    public static final Set<String> STATUSES = Set.of("OPEN", "CAPTURED", "RELEASED", "EXPIRED");

    private static final String PAGE = """
            select a.owner, a.scale, h.hold_id, h.amount_minor, h.currency, h.status, h.captured_minor,
                   h.released_minor, h.expires_at, h.placed_at, h.closed_at, h.reference, h.metadata::text,
                   h.transaction_id
            from accounts a
            left join lateral (select * from holds h where h.account_id = a.account_id %s and h.hold_id > ?
                               order by h.hold_id limit ?) h on true
            where a.account_id = ?
            order by h.hold_id""";
    private static final String ALL = PAGE.formatted("");
    private static final String BY_STATUS = PAGE.formatted("and h.status = ?");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    /** An account's page of holds, with its owner: empty when there is no such account. */
    public record Page(String owner, List<HoldView> holds) {
    }

    private final AgroalDataSource dataSource;

    HoldReads(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param status one of {@link #STATUSES}, or null for every hold; @param afterHoldId null for the first
     * page (a hold id: a client's, or a reservation's {@code transfer/<transferId>})
     */
    public Optional<Page> page(String accountId, String status, String afterHoldId, int limit) {
        try (Connection db = dataSource.getConnection();
             PreparedStatement select = db.prepareStatement(status == null ? ALL : BY_STATUS)) {
            int i = 1;
            if (status != null) {
                select.setString(i++, status);
            }
            select.setString(i++, afterHoldId == null ? "" : afterHoldId);
            select.setInt(i++, limit);
            select.setString(i, accountId);
            try (ResultSet row = select.executeQuery()) {
                String owner = null;
                List<HoldView> holds = new ArrayList<>();
                while (row.next()) {
                    owner = row.getString("owner");
                    if (row.getString("hold_id") != null) {
                        holds.add(view(accountId, row));
                    }
                }
                return owner == null ? Optional.empty() : Optional.of(new Page(owner, holds));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the holds of account " + accountId, e);
        }
    }

    private static HoldView view(String accountId, ResultSet row) throws SQLException {
        int scale = row.getInt("scale");
        return new HoldView(row.getString("hold_id"), accountId, AccountViews.decimal(row.getLong("amount_minor"), scale),
                row.getString("currency"), row.getString("status"), amount(row, "captured_minor", scale),
                amount(row, "released_minor", scale), instant(row, "expires_at"), instant(row, "placed_at"),
                instant(row, "closed_at"), row.getString("reference"), metadata(row.getString("metadata")),
                row.getString("transaction_id"), HoldView.transferIdOf(row.getString("hold_id")));
    }

    private static String amount(ResultSet row, String column, int scale) throws SQLException {
        long minor = row.getLong(column);
        return row.wasNull() ? null : AccountViews.decimal(minor, scale);
    }

    private static Map<String, String> metadata(String json) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("holds.metadata is not a JSON object of strings", e);
        }
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
