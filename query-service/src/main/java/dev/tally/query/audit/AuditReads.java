package dev.tally.query.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.query.audit.AuditResource.AuditView;
import dev.tally.query.audit.AuditResource.Cursor;
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

/**
 * The audit trail's pages in plain JDBC: one prepared select in auto-commit, keyset on
 * (occurred_at, event_id), filters only as bound parameters. Through Hibernate the same query
 * also began and ended a JTA transaction and built an entity per row ({@code ./run bench}).
 */
@ApplicationScoped
public class AuditReads {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final AgroalDataSource dataSource;

    AuditReads(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Events matching every filter given (null: no filter), oldest first after {@code cursor}.
     * {@code from} and {@code to} are already whole microseconds, as stored.
     */
    List<AuditView> page(String accountId, String actor, Instant from, Instant to, Cursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("select event_id, account_id, sequence, event_type, actor, occurred_at,"
                + " command_id, correlation_id, causation_id, details::text from audit_log where true");
        List<Object> parameters = new ArrayList<>();
        if (accountId != null) {
            sql.append(" and account_id = ?");
            parameters.add(accountId);
        }
        if (actor != null) {
            sql.append(" and actor = ?");
            parameters.add(actor);
        }
        if (from != null) {
            sql.append(" and occurred_at >= ?");
            parameters.add(utc(from));
        }
        if (to != null) {
            sql.append(" and occurred_at < ?");
            parameters.add(utc(to));
        }
        if (cursor != null) {
            sql.append(" and (occurred_at > ? or (occurred_at = ? and event_id > ?))");
            parameters.add(utc(cursor.at()));
            parameters.add(utc(cursor.at()));
            parameters.add(cursor.eventId());
        }
        sql.append(" order by occurred_at, event_id limit ?");
        parameters.add(limit);
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<AuditView> items = new ArrayList<>(limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    OffsetDateTime at = row.getObject("occurred_at", OffsetDateTime.class);
                    items.add(new AuditView(row.getString("event_id"), row.getString("account_id"),
                            row.getLong("sequence"), row.getString("event_type"), row.getString("actor"),
                            at == null ? null : at.toInstant(), row.getString("command_id"),
                            row.getString("correlation_id"), row.getString("causation_id"),
                            details(row.getString("details"))));
                }
            }
            return items;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the audit trail", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Map<String, String> details(String json) {
        try {
            return json == null ? null : JSON.readValue(json, STRING_MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("audit_log.details is not a JSON object of strings", e);
        }
    }
}
