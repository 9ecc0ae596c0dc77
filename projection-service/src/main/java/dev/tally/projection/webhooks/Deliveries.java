package dev.tally.projection.webhooks;

import javax.sql.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The deliveries table: what is due, leases, the outcome of each attempt. Every instance may
 * dispatch: a delivery is claimed with {@code FOR UPDATE SKIP LOCKED} and a lease (the attempt's
 * timeout and a margin), so it goes out from one instance at a time, and an instance killed
 * mid-attempt only delays it until the lease ends; the receiver then sees the same webhook-id again.
 */
@ApplicationScoped
public class Deliveries {

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String PARKED = "PARKED";
    public static final String CANCELLED = "CANCELLED";

    private final DataSource dataSource;

    Deliveries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A delivery claimed for one attempt, with what it takes to send it. */
    public record Due(String id, String subscriptionId, String url, List<String> secrets, String payload,
                      String traceparent, int attempts, Instant retryUntil, Instant eventAt, String eventType) {
    }

    /** How an attempt ended. {@code code} is null when no answer came (timeout, connection refused). */
    public record Attempt(Instant startedAt, long latencyMs, Integer code, String error) {

        boolean delivered() {
            return code != null && code >= 200 && code < 300;
        }

        boolean gone() {
            return code != null && code == 410;
        }
    }

    public record AttemptView(Instant at, long latencyMs, Integer responseCode, String error, String outcome,
                              Instant nextAttemptAt) {
    }

    public record DeliveryView(String id, String eventId, String eventType, String accountId, Long sequence,
                               String status, int attempts, Instant nextAttemptAt, Instant createdAt,
                               Instant deliveredAt, List<AttemptView> attemptLog) {
    }

    /**
     * Claims up to {@code limit} due deliveries, each the oldest pending one of its subscription and
     * account (so an account's events reach a subscriber in order), leasing them for {@code lease}.
     */
    public List<Due> claim(int limit, Collection<String> busySubscriptions, Duration lease) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                relaxed(connection);
                List<Due> due = claim(connection, limit, busySubscriptions, lease);
                connection.commit();
                return due;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Leases and attempts are not money: if PostgreSQL crashes before one of them reaches the disk,
     * the delivery is simply sent again (the receiver deduplicates on its webhook-id). So their
     * transactions do not wait for the WAL flush: one fsync per delivery was the dispatcher's cost.
     * The deliveries themselves are recorded by the reactor with the default, durable commit.
     */
    private static void relaxed(Connection transaction) throws SQLException {
        try (java.sql.Statement set = transaction.createStatement()) {
            set.execute("set local synchronous_commit to off");
        }
    }

    private static List<Due> claim(Connection connection, int limit, Collection<String> busySubscriptions, Duration lease)
            throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement("""
                     with due as (
                         select d.id from webhook_deliveries d
                         join webhook_subscriptions s on s.id = d.subscription_id
                         where d.status = 'PENDING' and s.status = 'ACTIVE' and d.next_attempt_at <= now()
                           and (d.leased_until is null or d.leased_until < now())
                           and d.subscription_id <> all(?)
                           and (d.account_id is null or not exists (
                               select 1 from webhook_deliveries e
                               where e.subscription_id = d.subscription_id and e.account_id = d.account_id
                                 and e.status = 'PENDING' and e.sequence < d.sequence))
                         -- the due index's own order, so that LIMIT stops the scan early (a second sort
                         -- key would make every claim read and sort every pending delivery)
                         order by d.next_attempt_at
                         limit ?
                         for update of d skip locked)
                     update webhook_deliveries d set leased_until = now() + ? * interval '1 millisecond'
                     from due, webhook_subscriptions s
                     where d.id = due.id and s.id = d.subscription_id
                     returning d.id, d.subscription_id, s.url, s.secret, s.previous_secret, s.previous_secret_until,
                               d.payload, d.traceparent, d.attempts, d.retry_until, d.event_at, d.event_type""")) {
            claim.setArray(1, connection.createArrayOf("text", busySubscriptions.toArray()));
            claim.setInt(2, limit);
            claim.setLong(3, lease.toMillis());
            List<Due> due = new ArrayList<>();
            Instant now = Instant.now();
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    Instant previousUntil = Subscriptions.instant(rows.getTimestamp(6));
                    List<String> secrets = rows.getString(5) != null && previousUntil != null && now.isBefore(previousUntil)
                            ? List.of(rows.getString(4), rows.getString(5)) : List.of(rows.getString(4));
                    due.add(new Due(rows.getString(1), rows.getString(2), rows.getString(3), secrets, rows.getString(7),
                            rows.getString(8), rows.getInt(9), Subscriptions.instant(rows.getTimestamp(10)),
                            Subscriptions.instant(rows.getTimestamp(11)), rows.getString(12)));
                }
            }
            return due;
        }
    }

    /** What became of the delivery after the attempt. */
    public enum Outcome { DELIVERED, FAILED, PARKED, GONE }

    /**
     * Records an attempt, in one transaction with what it means: the delivery delivered, retried at
     * {@code nextAttempt}, or parked (past its retry time); the subscription's failure streak
     * (disabled once it has failed for {@code disableAfter} without a success); a 410 unsubscribes.
     */
    public Outcome record(Due due, Attempt attempt, Instant nextAttempt, Duration disableAfter) throws SQLException {
        Instant now = Instant.now();
        Outcome outcome = attempt.delivered() ? Outcome.DELIVERED : attempt.gone() ? Outcome.GONE
                : !now.isBefore(due.retryUntil()) ? Outcome.PARKED : Outcome.FAILED;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                relaxed(connection);
                switch (outcome) {
                    case DELIVERED -> {
                        execute(connection, """
                                update webhook_deliveries set status = 'DELIVERED', attempts = attempts + 1,
                                       delivered_at = now(), leased_until = null where id = ?""", due.id());
                        execute(connection, "update webhook_subscriptions set failing_since = null "
                                + "where id = ? and failing_since is not null", due.subscriptionId());
                    }
                    case GONE -> {
                        execute(connection, """
                                update webhook_deliveries set status = 'CANCELLED', attempts = attempts + 1,
                                       leased_until = null where id = ?""", due.id());
                        execute(connection, """
                                update webhook_subscriptions set status = 'UNSUBSCRIBED', updated_at = now(),
                                       status_reason = 'the receiver answered 410 Gone: unsubscribed'
                                where id = ? and status = 'ACTIVE'""", due.subscriptionId());
                        cancelPending(connection, due.subscriptionId());
                    }
                    case PARKED, FAILED -> {
                        try (PreparedStatement update = connection.prepareStatement("""
                                update webhook_deliveries set status = ?, attempts = attempts + 1, leased_until = null,
                                       next_attempt_at = ? where id = ?""")) {
                            update.setString(1, outcome == Outcome.PARKED ? PARKED : PENDING);
                            update.setTimestamp(2, Timestamp.from(outcome == Outcome.PARKED ? now : nextAttempt));
                            update.setString(3, due.id());
                            update.executeUpdate();
                        }
                        try (PreparedStatement streak = connection.prepareStatement("""
                                update webhook_subscriptions
                                set failing_since = coalesce(failing_since, ?),
                                    status = case when status = 'ACTIVE' and coalesce(failing_since, ?) <= ? then 'DISABLED'
                                                  else status end,
                                    status_reason = case when status = 'ACTIVE' and coalesce(failing_since, ?) <= ?
                                                         then 'failing since ' || to_char(coalesce(failing_since, ?) at time zone 'UTC',
                                                              'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' without a success: disabled'
                                                         else status_reason end,
                                    updated_at = now()
                                where id = ?""")) {
                            Timestamp started = Timestamp.from(now);
                            Timestamp limit = Timestamp.from(now.minus(disableAfter));
                            streak.setTimestamp(1, started);
                            streak.setTimestamp(2, started);
                            streak.setTimestamp(3, limit);
                            streak.setTimestamp(4, started);
                            streak.setTimestamp(5, limit);
                            streak.setTimestamp(6, started);
                            streak.setString(7, due.subscriptionId());
                            streak.executeUpdate();
                        }
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement("""
                        insert into webhook_attempts (delivery_id, started_at, latency_ms, response_code, error, outcome,
                                                      next_attempt_at)
                        values (?, ?, ?, ?, ?, ?, ?)""")) {
                    insert.setString(1, due.id());
                    insert.setTimestamp(2, Timestamp.from(attempt.startedAt()));
                    insert.setLong(3, attempt.latencyMs());
                    insert.setObject(4, attempt.code());
                    insert.setString(5, attempt.error());
                    insert.setString(6, outcome.name());
                    insert.setTimestamp(7, outcome == Outcome.FAILED ? Timestamp.from(nextAttempt) : null);
                    insert.executeUpdate();
                }
                connection.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** A test delivery: no event, no account (so it waits behind nothing), due now. */
    public String createTest(Subscription subscription, Duration retryFor) throws SQLException {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into webhook_deliveries (id, subscription_id, event_type, payload, status, next_attempt_at,
                                                     retry_until, event_at, created_at)
                     values (?, ?, ?, ?, 'PENDING', ?, ?, ?, ?)""")) {
            insert.setString(1, id);
            insert.setString(2, subscription.id());
            insert.setString(3, WebhookPayload.TEST_TYPE);
            insert.setString(4, WebhookPayload.test(subscription.id(), now));
            insert.setTimestamp(5, Timestamp.from(now));
            insert.setTimestamp(6, Timestamp.from(now.plus(retryFor)));
            insert.setTimestamp(7, Timestamp.from(now));
            insert.setTimestamp(8, Timestamp.from(now));
            insert.executeUpdate();
        }
        return id;
    }

    /** Sends a delivery again (whatever its status but cancelled), as soon as its turn comes, with a fresh retry window. */
    public boolean retry(String subscriptionId, String deliveryId, Duration retryFor) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement retry = connection.prepareStatement("""
                     update webhook_deliveries set status = 'PENDING', next_attempt_at = now(), retry_until = ?,
                            delivered_at = null
                     where id = ? and subscription_id = ? and status <> 'CANCELLED'
                       and (status <> 'PENDING' or leased_until is null or leased_until < now())""")) {
            retry.setTimestamp(1, Timestamp.from(Instant.now().plus(retryFor)));
            retry.setString(2, deliveryId);
            retry.setString(3, subscriptionId);
            return retry.executeUpdate() == 1;
        }
    }

    /** A subscription's deliveries, newest first, each with its attempts. */
    public List<DeliveryView> list(String subscriptionId, String status, int limit) throws SQLException {
        return select(subscriptionId, status, null, limit);
    }

    public Optional<DeliveryView> one(String subscriptionId, String deliveryId) throws SQLException {
        return select(subscriptionId, null, deliveryId, 1).stream().findFirst();
    }

    private List<DeliveryView> select(String subscriptionId, String status, String deliveryId, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, DeliveryView> deliveries = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    select id, event_id, event_type, account_id, sequence, status, attempts, next_attempt_at, created_at,
                           delivered_at
                    from webhook_deliveries where subscription_id = ? and (?::text is null or status = ?)
                      and (?::text is null or id = ?)
                    order by created_at desc, id desc limit ?""")) {
                select.setString(1, subscriptionId);
                select.setString(2, status);
                select.setString(3, status);
                select.setString(4, deliveryId);
                select.setString(5, deliveryId);
                select.setInt(6, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String state = rows.getString(6);
                        deliveries.put(rows.getString(1), new DeliveryView(rows.getString(1), rows.getString(2),
                                rows.getString(3), rows.getString(4), (Long) rows.getObject(5), state, rows.getInt(7),
                                PENDING.equals(state) ? Subscriptions.instant(rows.getTimestamp(8)) : null,
                                Subscriptions.instant(rows.getTimestamp(9)), Subscriptions.instant(rows.getTimestamp(10)),
                                new ArrayList<>()));
                    }
                }
            }
            if (deliveries.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement select = connection.prepareStatement("""
                    select delivery_id, started_at, latency_ms, response_code, error, outcome, next_attempt_at
                    from webhook_attempts where delivery_id = any(?) order by id""")) {
                select.setArray(1, connection.createArrayOf("text", deliveries.keySet().toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        deliveries.get(rows.getString(1)).attemptLog().add(new AttemptView(
                                Subscriptions.instant(rows.getTimestamp(2)), rows.getLong(3), (Integer) rows.getObject(4),
                                rows.getString(5), rows.getString(6), Subscriptions.instant(rows.getTimestamp(7))));
                    }
                }
            }
            return List.copyOf(deliveries.values());
        }
    }

    /** For the gauges: deliveries pending, and the age of the oldest one not delivered yet (0 when none). */
    public record Backlog(long pending, double oldestSeconds) {
    }

    public Backlog backlog() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select count(*), coalesce(extract(epoch from now() - min(event_at)), 0)
                     from webhook_deliveries where status = 'PENDING'""");
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return new Backlog(rows.getLong(1), rows.getDouble(2));
        }
    }

    static void cancelPending(Connection connection, String subscriptionId) throws SQLException {
        execute(connection, "update webhook_deliveries set status = 'CANCELLED', leased_until = null "
                + "where subscription_id = ? and status = 'PENDING'", subscriptionId);
    }

    private static void execute(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            statement.executeUpdate();
        }
    }
}
