package dev.tally.projection.webhooks;

import dev.tally.events.AccountOpened;
import dev.tally.projection.runner.ReactedEvent;
import dev.tally.projection.runner.Reactor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The webhook reactor: for each event, one delivery per active subscription that wants it,
 * recorded in the reactor's transaction (with its checkpoint). A delivery's id is derived from the
 * subscription and the event, and (subscription, event) is unique, so reading an event again — after
 * a crash, a rebalance, or a reset checkpoint — records nothing new. It sends nothing itself: the
 * {@link Dispatcher} does, after the commit.
 */
public final class WebhookReactor implements Reactor {

    public static final String NAME = "webhooks";

    private final WebhookSettings settings;
    private final Runnable onCommit;

    public WebhookReactor(WebhookSettings settings, Runnable onCommit) {
        this.settings = settings;
        this.onCommit = onCommit;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The webhook-id of an event's delivery to a subscription: the same for every attempt, instance and replay. */
    public static String deliveryId(String subscriptionId, String eventId) {
        return "msg_" + UUID.nameUUIDFromBytes((subscriptionId + "/" + eventId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    @Override
    public void react(Connection transaction, List<ReactedEvent> events) throws SQLException {
        rememberOwners(transaction, events);
        List<Subscription> subscriptions = Subscriptions.active(transaction);
        if (subscriptions.isEmpty() || events.isEmpty()) {
            return;
        }
        Map<String, String> owners = subscriptions.stream().anyMatch(Subscription::needsOwner)
                ? owners(transaction, events.stream().map(e -> e.meta().getAccountId()).collect(Collectors.toSet()))
                : Map.of();
        Instant now = Instant.now();
        try (PreparedStatement insert = transaction.prepareStatement("""
                insert into webhook_deliveries (id, subscription_id, event_id, account_id, sequence, event_type, payload,
                                                traceparent, status, next_attempt_at, retry_until, event_at, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?)
                on conflict do nothing""")) {
            int rows = 0;
            for (ReactedEvent event : events) {
                String accountId = event.meta().getAccountId();
                String payload = null;
                for (Subscription subscription : subscriptions) {
                    String owner = null;
                    if (subscription.needsOwner()) {
                        owner = owners.get(accountId);
                        if (owner == null) {
                            // Opened before this reactor started and not in the accounts read model yet:
                            // wait for it (the batch is retried) rather than guess.
                            throw new IllegalStateException("The owner of account " + accountId
                                    + " is not known yet (the accounts projection is behind); retrying");
                        }
                    }
                    if (!subscription.wants(event.type(), accountId, owner, event.meta().getOccurredAt())) {
                        continue;
                    }
                    payload = payload == null ? WebhookPayload.of(event.event(), event.meta()) : payload;
                    insert.setString(1, deliveryId(subscription.id(), event.meta().getEventId()));
                    insert.setString(2, subscription.id());
                    insert.setString(3, event.meta().getEventId());
                    insert.setString(4, accountId);
                    insert.setLong(5, event.meta().getSequence());
                    insert.setString(6, event.type());
                    insert.setString(7, payload);
                    insert.setString(8, event.traceparent());
                    insert.setTimestamp(9, Timestamp.from(now));
                    insert.setTimestamp(10, Timestamp.from(now.plus(settings.retryFor())));
                    insert.setTimestamp(11, Timestamp.from(event.meta().getOccurredAt()));
                    insert.setTimestamp(12, Timestamp.from(now));
                    insert.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        }
    }

    @Override
    public void committed() {
        onCommit.run();
    }

    /** Owners learnt from the AccountOpened events read, so that later events of the account need no lookup. */
    private static void rememberOwners(Connection transaction, List<ReactedEvent> events) throws SQLException {
        Map<String, String> opened = new LinkedHashMap<>();
        for (ReactedEvent event : events) {
            if (event.event() instanceof AccountOpened account) {
                opened.put(event.meta().getAccountId(), account.getOwner());
            }
        }
        if (opened.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = transaction.prepareStatement(
                "insert into webhook_account_owners (account_id, owner) values (?, ?) on conflict do nothing")) {
            for (Map.Entry<String, String> entry : opened.entrySet()) {
                insert.setString(1, entry.getKey());
                insert.setString(2, entry.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Whose accounts these are: from what the reactor learnt, else from the accounts read model. */
    static Map<String, String> owners(Connection connection, Collection<String> accountIds) throws SQLException {
        Map<String, String> owners = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select account_id, owner from webhook_account_owners where account_id = any(?)
                union all
                select account_id, owner from accounts where account_id = any(?)""")) {
            java.sql.Array ids = connection.createArrayOf("text", accountIds.toArray());
            select.setArray(1, ids);
            select.setArray(2, ids);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    owners.putIfAbsent(rows.getString(1), rows.getString(2));
                }
            }
        }
        return owners;
    }
}
