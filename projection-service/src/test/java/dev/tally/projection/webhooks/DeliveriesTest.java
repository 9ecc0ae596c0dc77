package dev.tally.projection.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.projection.runner.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claims, leases and outcomes against a real PostgreSQL. */
class DeliveriesTest {

    private static final Duration LEASE = Duration.ofMinutes(1);
    private final DataSource database = TestDatabase.dataSource();
    private final Deliveries deliveries = new Deliveries(database);

    @BeforeEach
    void empty() {
        TestDatabase.sql("truncate webhook_attempts, webhook_deliveries, webhook_subscriptions");
        TestDatabase.sql("""
                insert into webhook_subscriptions (id, url, event_types, secret, status, created_by, created_at, updated_at)
                values ('wh_1', 'http://127.0.0.1:1/', '{FundsDeposited}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'ACTIVE',
                        'test', now(), now())""");
    }

    @Test
    void an_accounts_deliveries_are_claimed_one_at_a_time_in_its_order_and_a_leased_one_is_not_claimed_twice() throws Exception {
        pending("d-a3", "a", 3);
        pending("d-a2", "a", 2);
        pending("d-b7", "b", 7);
        List<Deliveries.Due> first = deliveries.claim(10, Set.of(), LEASE);
        assertEquals(Set.of("d-a2", "d-b7"), ids(first), "only the oldest pending delivery of each account");
        assertEquals(List.of(), deliveries.claim(10, Set.of(), LEASE), "leased: not claimed again, and a3 waits behind a2");

        deliveries.record(first.stream().filter(d -> d.id().equals("d-a2")).findFirst().orElseThrow(),
                new Deliveries.Attempt(Instant.now(), 3, 204, null), Instant.now(), Duration.ofDays(5));
        assertEquals(Set.of("d-a3"), ids(deliveries.claim(10, Set.of(), LEASE)));
        assertEquals(List.of(), deliveries.claim(10, Set.of("wh_1"), LEASE), "a busy subscription is passed over");
    }

    @Test
    void a_failure_schedules_a_retry_and_past_the_retry_window_it_parks() throws Exception {
        pending("d-1", "a", 2);
        Deliveries.Due due = deliveries.claim(1, Set.of(), LEASE).get(0);
        Instant next = Instant.now().plusSeconds(30);
        assertEquals(Deliveries.Outcome.FAILED, deliveries.record(due, new Deliveries.Attempt(Instant.now(), 5, 500, "answered 500"),
                next, Duration.ofDays(5)));
        assertEquals("PENDING", value("select status from webhook_deliveries where id = 'd-1'"));
        assertEquals(List.of(), deliveries.claim(1, Set.of(), LEASE), "not before its next attempt");

        TestDatabase.sql("update webhook_deliveries set next_attempt_at = now(), retry_until = now() - interval '1 second'");
        due = deliveries.claim(1, Set.of(), LEASE).get(0);
        assertEquals(Deliveries.Outcome.PARKED, deliveries.record(due, new Deliveries.Attempt(Instant.now(), 5, null, "refused"),
                next, Duration.ofDays(5)));
        assertEquals("PARKED 2", value("select status || ' ' || attempts from webhook_deliveries where id = 'd-1'"));
        assertEquals("FAILED,PARKED", value("select string_agg(outcome, ',' order by id) from webhook_attempts"));
    }

    @Test
    void a_subscription_failing_for_longer_than_allowed_is_disabled_and_a_success_ends_a_streak() throws Exception {
        pending("d-1", "a", 2);
        Deliveries.Due due = deliveries.claim(1, Set.of(), LEASE).get(0);
        deliveries.record(due, new Deliveries.Attempt(Instant.now(), 5, 500, "answered 500"), Instant.now(), Duration.ofDays(5));
        assertEquals("ACTIVE", value("select status from webhook_subscriptions"));
        assertTrue(value("select failing_since is not null from webhook_subscriptions").equals("t"));

        TestDatabase.sql("update webhook_deliveries set next_attempt_at = now()");
        due = deliveries.claim(1, Set.of(), LEASE).get(0);
        deliveries.record(due, new Deliveries.Attempt(Instant.now(), 5, 200, null), Instant.now(), Duration.ofDays(5));
        assertEquals("t", value("select failing_since is null from webhook_subscriptions"), "a success ends the streak");

        pending("d-2", "a", 3);
        due = deliveries.claim(1, Set.of(), LEASE).get(0);
        deliveries.record(due, new Deliveries.Attempt(Instant.now(), 5, 500, "answered 500"), Instant.now(), Duration.ZERO);
        assertEquals("DISABLED", value("select status from webhook_subscriptions"));
        assertTrue(value("select status_reason from webhook_subscriptions").contains("without a success"));
        TestDatabase.sql("update webhook_deliveries set next_attempt_at = now()");
        assertEquals(List.of(), deliveries.claim(1, Set.of(), LEASE), "a disabled subscription gets nothing sent");
    }

    @Test
    void a_410_unsubscribes_and_cancels_what_was_pending() throws Exception {
        pending("d-a", "a", 2);
        pending("d-b", "b", 2);
        Deliveries.Due due = deliveries.claim(1, Set.of(), LEASE).get(0);
        assertEquals(Deliveries.Outcome.GONE, deliveries.record(due, new Deliveries.Attempt(Instant.now(), 5, 410, "answered 410"),
                Instant.now(), Duration.ofDays(5)));
        assertEquals("UNSUBSCRIBED", value("select status from webhook_subscriptions"));
        assertEquals("0", value("select count(*) from webhook_deliveries where status = 'PENDING'"));
    }

    private static Set<String> ids(List<Deliveries.Due> due) {
        return due.stream().map(Deliveries.Due::id).collect(java.util.stream.Collectors.toSet());
    }

    private void pending(String id, String account, long sequence) {
        TestDatabase.sql("""
                insert into webhook_deliveries (id, subscription_id, event_id, account_id, sequence, event_type, payload, status,
                                                next_attempt_at, retry_until, event_at, created_at)
                values ('%s', 'wh_1', '%s', '%s', %d, 'FundsDeposited', '{}', 'PENDING', now(), now() + interval '1 hour', now(), now())"""
                .formatted(id, id, account, sequence));
    }

    private String value(String query) throws SQLException {
        try (Connection connection = database.getConnection(); Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
