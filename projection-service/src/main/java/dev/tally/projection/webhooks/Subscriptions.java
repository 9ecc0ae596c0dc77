package dev.tally.projection.webhooks;

import javax.sql.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The subscriptions table. Plain JDBC: a handful of small statements. */
@ApplicationScoped
public class Subscriptions {

    private static final String COLUMNS = """
            id, url, event_types, account_id, owner, visible_to, secret, previous_secret, previous_secret_until,
            status, status_reason, failing_since, created_by, created_at""";

    private final DataSource dataSource;

    Subscriptions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void create(Subscription subscription) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into webhook_subscriptions (id, url, event_types, account_id, owner, visible_to, secret,
                                                        status, created_by, created_at, updated_at)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, subscription.id());
            insert.setString(2, subscription.url());
            insert.setArray(3, connection.createArrayOf("text", subscription.eventTypes().toArray()));
            insert.setString(4, subscription.accountId());
            insert.setString(5, subscription.owner());
            insert.setString(6, subscription.visibleTo());
            insert.setString(7, subscription.secret());
            insert.setString(8, subscription.status());
            insert.setString(9, subscription.createdBy());
            insert.setTimestamp(10, Timestamp.from(subscription.createdAt()));
            insert.setTimestamp(11, Timestamp.from(subscription.createdAt()));
            insert.executeUpdate();
        }
    }

    /** A subscription that is not deleted. */
    public Optional<Subscription> find(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            List<Subscription> found = select(connection, "where id = ? and status <> 'DELETED'", id);
            return found.stream().findFirst();
        }
    }

    /** Up to 500 subscriptions that are not deleted, visible to this owner (null: all), oldest first. */
    public List<Subscription> list(String visibleTo) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return visibleTo == null
                    ? select(connection, "where status <> 'DELETED' order by created_at, id limit 500")
                    : select(connection, "where status <> 'DELETED' and visible_to = ? order by created_at, id limit 500", visibleTo);
        }
    }

    /** The subscriptions that get new deliveries, read in the reactor's transaction. */
    static List<Subscription> active(Connection transaction) throws SQLException {
        return select(transaction, "where status = 'ACTIVE'");
    }

    /** Marks it deleted and cancels what it had pending; its deliveries stay for the record. */
    public boolean delete(String id) throws SQLException {
        return inTransaction(connection -> {
            int changed = update(connection, "update webhook_subscriptions set status = 'DELETED', updated_at = now() "
                    + "where id = ? and status <> 'DELETED'", id);
            Deliveries.cancelPending(connection, id);
            return changed == 1;
        });
    }

    /** Sends again: ACTIVE, its failure streak forgotten. */
    public boolean enable(String id) throws SQLException {
        return inTransaction(connection -> update(connection, """
                update webhook_subscriptions set status = 'ACTIVE', status_reason = null, failing_since = null, updated_at = now()
                where id = ? and status in ('ACTIVE', 'DISABLED', 'UNSUBSCRIBED')""", id) == 1);
    }

    /** A new secret; the one it replaces keeps signing beside it until {@code previousUntil}. */
    public boolean rotate(String id, String secret, Instant previousUntil) throws SQLException {
        return inTransaction(connection -> {
            try (PreparedStatement rotate = connection.prepareStatement("""
                    update webhook_subscriptions set previous_secret = secret, previous_secret_until = ?, secret = ?,
                                                     updated_at = now()
                    where id = ? and status <> 'DELETED'""")) {
                rotate.setTimestamp(1, Timestamp.from(previousUntil));
                rotate.setString(2, secret);
                rotate.setString(3, id);
                return rotate.executeUpdate() == 1;
            }
        });
    }

    static List<Subscription> select(Connection connection, String where, Object... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select " + COLUMNS + " from webhook_subscriptions " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<Subscription> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Array types = rows.getArray(3);
                    found.add(new Subscription(rows.getString(1), rows.getString(2),
                            List.copyOf(Arrays.asList((String[]) types.getArray())), rows.getString(4), rows.getString(5),
                            rows.getString(6), rows.getString(7), rows.getString(8), instant(rows.getTimestamp(9)),
                            rows.getString(10), rows.getString(11), instant(rows.getTimestamp(12)), rows.getString(13),
                            instant(rows.getTimestamp(14))));
                }
            }
            return found;
        }
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static int update(Connection connection, String sql, String id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, id);
            return update.executeUpdate();
        }
    }

    interface Work<T> {
        T run(Connection transaction) throws SQLException;
    }

    <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
