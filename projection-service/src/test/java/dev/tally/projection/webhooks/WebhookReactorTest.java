package dev.tally.projection.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.projection.GivenEvents;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.runner.ReactedEvent;
import dev.tally.projection.runner.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reactor against a real PostgreSQL: given events and subscriptions, then delivery rows. */
class WebhookReactorTest {

    private final DataSource database = TestDatabase.dataSource();
    private final WebhookReactor reactor = new WebhookReactor(settings(), () -> { });
    private final GivenEvents alice = new GivenEvents("alice-acct");
    private final Instant created = Instant.parse("2026-12-01T00:00:00Z");
    private final Instant later = created.plusSeconds(60);

    @BeforeEach
    void empty() {
        TestDatabase.sql("truncate webhook_attempts, webhook_deliveries, webhook_subscriptions, webhook_account_owners, accounts");
    }

    @Test
    void one_delivery_per_wanted_event_and_none_again_when_the_events_are_read_again() throws Exception {
        subscribe("wh_account", List.of("FundsDeposited"), "alice-acct", null);
        List<ReactedEvent> events = List.of(reacted(alice.opened(later)), reacted(alice.deposited(2, 100, 100, later)),
                reacted(alice.withdrawn(3, 40, 60, later)), reacted(alice.deposited(4, 5, 65, later)));
        react(events);
        react(events); // a crash before the checkpoint, a rebalance, a reset checkpoint: the same events again
        assertEquals(List.of("FundsDeposited/2", "FundsDeposited/4"), deliveries("wh_account"));
        assertEquals(WebhookReactor.deliveryId("wh_account", "alice-acct-e2"), ids("wh_account").get(0),
                "the webhook-id derives from the subscription and the event");
    }

    @Test
    void an_owner_subscription_covers_that_owners_accounts_only_learning_owners_from_the_log_or_the_read_model() throws Exception {
        subscribe("wh_alice", List.of("FundsDeposited"), null, "alice");
        subscribe("wh_bob", List.of("FundsDeposited"), null, "bob");
        GivenEvents older = new GivenEvents("opened-before-the-reactor");
        TestDatabase.sql("""
                insert into accounts (account_id, owner, currency, scale, balance_minor, overdraft_limit_minor, status, version,
                                      opened_at, updated_at, metadata)
                values ('opened-before-the-reactor', 'alice', 'USD', 2, 0, 0, 'OPEN', 1, now(), now(), '{}')""");
        react(List.of(reacted(alice.opened(later)), reacted(alice.deposited(2, 100, 100, later)),
                reacted(older.deposited(7, 1, 1, later))));
        assertEquals(List.of("FundsDeposited/2", "FundsDeposited/7"), deliveries("wh_alice"));
        assertEquals(List.of(), deliveries("wh_bob"));
    }

    @Test
    void an_account_whose_owner_is_not_known_yet_is_waited_for_not_guessed() throws Exception {
        subscribe("wh_alice", List.of("FundsDeposited"), null, "alice");
        GivenEvents unknown = new GivenEvents("not-projected-yet");
        assertThrows(IllegalStateException.class, () -> react(List.of(reacted(unknown.deposited(3, 1, 1, later)))));
        assertEquals(List.of(), deliveries("wh_alice"));
    }

    @Test
    void events_from_before_the_subscription_and_inactive_subscriptions_get_nothing() throws Exception {
        subscribe("wh_new", List.of("FundsDeposited"), "alice-acct", null);
        subscribe("wh_disabled", List.of("FundsDeposited"), "alice-acct", null);
        TestDatabase.sql("update webhook_subscriptions set status = 'DISABLED' where id = 'wh_disabled'");
        react(List.of(reacted(alice.deposited(2, 100, 100, created.minusSeconds(1))),
                reacted(alice.deposited(3, 100, 200, later))));
        assertEquals(List.of("FundsDeposited/3"), deliveries("wh_new"));
        assertEquals(List.of(), deliveries("wh_disabled"));
    }

    private static WebhookSettings settings() {
        WebhookSettings settings = new WebhookSettings();
        settings.retryFor = java.time.Duration.ofHours(24);
        return settings;
    }

    private static ReactedEvent reacted(ProjectedEvent event) {
        return new ReactedEvent(event.event(), event.meta(), null);
    }

    private void react(List<ReactedEvent> events) throws SQLException {
        try (Connection transaction = database.getConnection()) {
            transaction.setAutoCommit(false);
            try {
                reactor.react(transaction, events);
                transaction.commit();
            } catch (SQLException | RuntimeException e) {
                transaction.rollback();
                throw e;
            }
        }
    }

    private void subscribe(String id, List<String> types, String accountId, String owner) throws SQLException {
        try (Connection connection = database.getConnection();
             var insert = connection.prepareStatement("""
                     insert into webhook_subscriptions (id, url, event_types, account_id, owner, visible_to, secret, status,
                                                        created_by, created_at, updated_at)
                     values (?, 'http://127.0.0.1:1/', ?, ?, ?, ?, ?, 'ACTIVE', 'test', ?, ?)""")) {
            insert.setString(1, id);
            insert.setArray(2, connection.createArrayOf("text", types.toArray()));
            insert.setString(3, accountId);
            insert.setString(4, owner);
            insert.setString(5, owner);
            insert.setString(6, Signatures.newSecret());
            insert.setTimestamp(7, Timestamp.from(created));
            insert.setTimestamp(8, Timestamp.from(created));
            insert.executeUpdate();
        }
    }

    private List<String> deliveries(String subscription) throws SQLException {
        return column(subscription, "event_type || '/' || sequence");
    }

    private List<String> ids(String subscription) throws SQLException {
        return column(subscription, "id");
    }

    private List<String> column(String subscription, String expression) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("select " + expression + " from webhook_deliveries where subscription_id = '"
                     + subscription + "' order by sequence")) {
            while (rows.next()) {
                found.add(rows.getString(1));
            }
        }
        assertTrue(found.stream().allMatch(s -> s != null));
        return found;
    }
}
