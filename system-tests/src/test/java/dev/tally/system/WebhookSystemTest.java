package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.stack.LocalStack;
import dev.tally.system.WebhookReceiver.Received;
import dev.tally.system.WebhookReceiver.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhooks end to end (issue 15): a real receiver on loopback, the shared stack's real Kafka,
 * PostgreSQL and services. The stack retries every 200 ms to 1 s, parks after 15 s and gives an
 * attempt 1 s (SharedStack). Where a test must show that something was NOT sent, a second
 * subscription that receives everything is the witness that the event was read.
 */
// A hang guard for each test (waits such as a rebuild's have no deadline of their own), not a speed check.
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class WebhookSystemTest {

    private static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static final Duration WITHIN = Duration.ofSeconds(60);

    private final LocalStack stack = SharedStack.get();
    private final Http admin = new Http();

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void every_matching_event_is_delivered_once_in_order_signed_with_amounts_as_decimal_strings() throws Exception {
        String account = open("wh-owner-" + UUID.randomUUID());
        String url = RECEIVER.path("in-order-" + UUID.randomUUID(), Script.ok());
        JsonNode subscription = subscribe(admin, url, "[\"FundsDeposited\",\"FundsWithdrawn\"]", "\"accountId\":\"" + account + "\"");
        String secret = subscription.get("secret").asText();
        assertTrue(secret.startsWith("whsec_"), subscription::toString);
        for (int i = 1; i <= 10; i++) {
            admin.deposit(stack.commandUrl(), account, i + ".00");
        }
        String traceId = UUID.randomUUID().toString().replace("-", "");
        assertEquals(201, admin.post(stack.commandUrl() + "/accounts/" + account + "/withdrawals", "{\"amount\":\"0.50\"}",
                "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").status());

        List<Received> received = RECEIVER.await(url, r -> r.size() >= 11, WITHIN);
        assertEquals(11, received.size(), "AccountOpened is not subscribed; each of the 11 movements once");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < received.size(); i++) {
            Received delivery = received.get(i);
            assertTrue(delivery.signedWith(secret), "signature of " + delivery.webhookId());
            assertTrue(ids.add(delivery.webhookId()), "one webhook-id per event");
            JsonNode data = delivery.data();
            assertEquals(i + 2, data.get("sequence").asLong(), "in the account's order");
            assertEquals(account, data.get("accountId").asText());
            assertNotNull(data.get("eventId").asText());
            if (i < 10) {
                assertEquals("FundsDeposited", delivery.json().get("type").asText());
                assertEquals((i + 1) + ".00", data.get("amount").asText());
            } else {
                assertEquals("FundsWithdrawn", delivery.json().get("type").asText());
                assertEquals("0.50", data.get("amount").asText());
                assertEquals("54.50", data.get("balanceAfter").asText());
            }
        }
        // The trace of the withdrawal's HTTP request goes on to the receiver, through a delivery span.
        assertTrue(received.get(10).traceparent().startsWith("00-" + traceId + "-"), received.get(10).traceparent());
        awaitSpan(traceId, "tally.webhook deliver");
        String metrics = admin.get(stack.projectionUrl() + "/q/metrics").body();
        for (String metric : List.of("tally_webhook_delivery_seconds_bucket", "tally_webhook_attempt_seconds_bucket",
                "tally_webhook_pending", "tally_webhook_oldest_undelivered_seconds")) {
            assertTrue(metrics.contains(metric), metric + " on /q/metrics");
        }

        JsonNode deliveries = deliveries(subscription);
        assertEquals(11, deliveries.size());
        for (JsonNode delivery : deliveries) {
            assertEquals("DELIVERED", delivery.get("status").asText(), delivery::toString);
            assertEquals(200, delivery.get("attemptLog").get(0).get("responseCode").asInt(), delivery::toString);
        }
        assertEquals(null, admin.get(stack.projectionUrl() + "/webhooks/" + subscription.get("id").asText()).json().get("secret"),
                "the secret is shown only when created");
    }

    @Test
    void a_receiver_failing_five_times_gets_the_same_delivery_again_with_backoff_then_the_next_one() throws Exception {
        String account = open("wh-owner-" + UUID.randomUUID());
        String url = RECEIVER.path("flaky-" + UUID.randomUUID(), Script.answering(n -> n <= 5 ? 503 : 200));
        JsonNode subscription = subscribe(admin, url, "[\"FundsDeposited\"]", "\"accountId\":\"" + account + "\"");
        admin.deposit(stack.commandUrl(), account, "1.00");
        admin.deposit(stack.commandUrl(), account, "2.00");

        List<Received> received = RECEIVER.await(url, r -> r.size() >= 7, WITHIN);
        assertEquals(7, received.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(received.get(0).webhookId(), received.get(i).webhookId(), "every retry carries the same webhook-id");
            assertEquals(2, received.get(i).data().get("sequence").asLong(), "the second deposit waits for the first");
            assertTrue(received.get(i).signedWith(subscription.get("secret").asText()));
        }
        assertEquals(3, received.get(6).data().get("sequence").asLong());
        assertTrue(received.get(5).at().isAfter(received.get(0).at()));
        JsonNode first = awaitDelivery(subscription, 2, "DELIVERED");
        JsonNode attempts = first.get("attemptLog");
        assertEquals(6, attempts.size(), first::toString);
        for (int i = 0; i < 5; i++) {
            assertEquals(503, attempts.get(i).get("responseCode").asInt());
            assertEquals("FAILED", attempts.get(i).get("outcome").asText());
            assertNotNull(attempts.get(i).get("nextAttemptAt").asText());
        }
        assertEquals("DELIVERED", attempts.get(5).get("outcome").asText());
    }

    @Test
    void a_receiver_that_does_not_answer_in_time_is_tried_again() throws Exception {
        String account = open("wh-owner-" + UUID.randomUUID());
        String url = RECEIVER.path("slow-" + UUID.randomUUID(),
                new Script(n -> 200, n -> n == 1 ? Duration.ofSeconds(3) : Duration.ZERO));
        JsonNode subscription = subscribe(admin, url, "[\"FundsDeposited\"]", "\"accountId\":\"" + account + "\"");
        admin.deposit(stack.commandUrl(), account, "1.00");

        List<Received> received = RECEIVER.await(url, r -> r.size() >= 2, WITHIN);
        assertEquals(received.get(0).webhookId(), received.get(1).webhookId());
        JsonNode delivery = awaitDelivery(subscription, 2, "DELIVERED");
        JsonNode timedOut = delivery.get("attemptLog").get(0);
        assertTrue(timedOut.get("responseCode").isNull(), delivery::toString);
        assertTrue(timedOut.get("error").asText().contains("no answer within 1000 ms"), delivery::toString);
    }

    @Test
    void a_receiver_answering_410_is_unsubscribed_and_gets_nothing_more() throws Exception {
        String account = open("wh-owner-" + UUID.randomUUID());
        String gone = RECEIVER.path("gone-" + UUID.randomUUID(), Script.answering(n -> 410));
        String witness = RECEIVER.path("witness-" + UUID.randomUUID(), Script.ok());
        JsonNode subscription = subscribe(admin, gone, "[\"FundsDeposited\"]", "\"accountId\":\"" + account + "\"");
        subscribe(admin, witness, "[\"FundsDeposited\"]", "\"accountId\":\"" + account + "\"");
        admin.deposit(stack.commandUrl(), account, "1.00");
        RECEIVER.await(gone, r -> r.size() == 1, WITHIN);
        awaitStatus(subscription, "UNSUBSCRIBED");

        admin.deposit(stack.commandUrl(), account, "2.00");
        RECEIVER.await(witness, r -> r.size() == 2, WITHIN); // the second deposit has been read
        assertEquals(1, RECEIVER.received(gone).size());
        assertEquals(1, deliveries(subscription).size(), "no delivery recorded for an unsubscribed URL");
    }

    @Test
    void a_delivery_failing_past_its_retry_window_is_parked_and_can_be_sent_again() throws Exception {
        String account = open("wh-owner-" + UUID.randomUUID());
        String url = RECEIVER.path("down-" + UUID.randomUUID(), Script.answering(n -> 500));
        JsonNode subscription = subscribe(admin, url, "[\"FundsDeposited\"]", "\"accountId\":\"" + account + "\"");
        admin.deposit(stack.commandUrl(), account, "1.00");
        JsonNode parked = awaitDelivery(subscription, 2, "PARKED");
        assertTrue(parked.get("attempts").asInt() >= 5, parked::toString);
        assertEquals("PARKED", parked.get("attemptLog").get(parked.get("attemptLog").size() - 1).get("outcome").asText());

        RECEIVER.script(url, Script.ok());
        int before = RECEIVER.received(url).size();
        Http.Reply retried = admin.post(stack.projectionUrl() + "/webhooks/" + subscription.get("id").asText()
                + "/deliveries/" + parked.get("id").asText() + "/retry", "");
        assertEquals(202, retried.status(), retried::toString);
        List<Received> received = RECEIVER.await(url, r -> r.size() > before, WITHIN);
        assertEquals(parked.get("id").asText(), received.get(received.size() - 1).webhookId(), "the same webhook-id");
        awaitDelivery(subscription, 2, "DELIVERED");
    }

    @Test
    void a_test_delivery_goes_out_signed_at_once() throws Exception {
        String url = RECEIVER.path("test-" + UUID.randomUUID(), Script.ok());
        JsonNode subscription = subscribe(admin, url, "[\"FundsDeposited\"]", "\"owner\":\"nobody-" + UUID.randomUUID() + "\"");
        Http.Reply test = admin.post(stack.projectionUrl() + "/webhooks/" + subscription.get("id").asText() + "/test", "");
        assertEquals(202, test.status(), test::toString);
        Received received = RECEIVER.await(url, r -> r.size() == 1, WITHIN).get(0);
        assertEquals("webhook.test", received.json().get("type").asText());
        assertEquals(test.json().get("deliveryId").asText(), received.webhookId());
        assertTrue(received.signedWith(subscription.get("secret").asText()));
    }

    @Test
    void a_rotated_secret_and_the_one_before_it_both_sign_while_they_overlap() throws Exception {
        String url = RECEIVER.path("rotate-" + UUID.randomUUID(), Script.ok());
        JsonNode subscription = subscribe(admin, url, "[\"FundsDeposited\"]", "\"owner\":\"nobody-" + UUID.randomUUID() + "\"");
        String id = subscription.get("id").asText();
        Http.Reply rotated = admin.post(stack.projectionUrl() + "/webhooks/" + id + "/secret/rotate", "{}");
        assertEquals(200, rotated.status(), rotated::toString);
        String newSecret = rotated.json().get("secret").asText();
        assertFalse(newSecret.equals(subscription.get("secret").asText()));
        admin.post(stack.projectionUrl() + "/webhooks/" + id + "/test", "");
        Received received = RECEIVER.await(url, r -> r.size() == 1, WITHIN).get(0);
        assertTrue(received.signedWith(newSecret));
        assertTrue(received.signedWith(subscription.get("secret").asText()));
    }

    @Test
    void kill_9_of_the_dispatching_service_during_a_burst_loses_no_delivery_and_duplicates_keep_their_webhook_id()
            throws Exception {
        String owner = "wh-burst-" + UUID.randomUUID();
        List<String> accounts = List.of(open(owner), open(owner), open(owner), open(owner));
        String url = RECEIVER.path("burst-" + UUID.randomUUID(), new Script(n -> 200, n -> Duration.ofMillis(20)));
        subscribe(admin, url, "[\"FundsDeposited\"]", "\"owner\":\"" + owner + "\"");
        int perAccount = 30;
        ExecutorService writers = Executors.newFixedThreadPool(accounts.size());
        List<Future<?>> writing = new ArrayList<>();
        for (String account : accounts) {
            writing.add(writers.submit(() -> {
                for (int i = 0; i < perAccount; i++) {
                    admin.deposit(stack.commandUrl(), account, "1.00");
                }
                return null;
            }));
        }
        for (int crash = 0; crash < 2; crash++) {
            Thread.sleep(ThreadLocalRandom.current().nextInt(500, 1500));
            stack.killService(LocalStack.PROJECTION_SERVICE);
            stack.startService(LocalStack.PROJECTION_SERVICE);
        }
        for (Future<?> future : writing) {
            future.get(120, TimeUnit.SECONDS);
        }
        writers.shutdown();

        List<Received> received = RECEIVER.await(url, r -> distinctEvents(r) == accounts.size() * perAccount,
                Duration.ofSeconds(120));
        Map<String, String> eventOfId = new HashMap<>();
        Map<String, Long> lastFirstSeen = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Received delivery : received) {
            String event = delivery.data().get("eventId").asText();
            String before = eventOfId.putIfAbsent(delivery.webhookId(), event);
            assertTrue(before == null || before.equals(event), "a webhook-id always names the same event");
            if (seen.add(event)) {
                String account = delivery.data().get("accountId").asText();
                long sequence = delivery.data().get("sequence").asLong();
                Long previous = lastFirstSeen.put(account, sequence);
                assertTrue(previous == null || previous < sequence, "first deliveries of an account in its order: "
                        + previous + " then " + sequence);
            }
        }
        for (String account : accounts) {
            Set<Long> sequences = new HashSet<>();
            received.stream().filter(r -> r.data().get("accountId").asText().equals(account))
                    .forEach(r -> sequences.add(r.data().get("sequence").asLong()));
            Set<Long> expected = new HashSet<>();
            for (long s = 2; s <= perAccount + 1; s++) {
                expected.add(s);
            }
            assertEquals(expected, sequences, "every deposit of " + account + " delivered at least once");
        }
        System.out.printf("webhooks under kill -9: %d events, %d requests (%d duplicates, each with its webhook-id)%n",
                seen.size(), received.size(), received.size() - seen.size());
    }

    @Test
    void rebuilding_every_projection_sends_nothing_again() throws Exception {
        String account = open("wh-owner-" + UUID.randomUUID());
        String url = RECEIVER.path("rebuild-" + UUID.randomUUID(), Script.ok());
        JsonNode subscription = subscribe(admin, url, "[\"AccountOpened\",\"FundsDeposited\"]", "\"accountId\":\"" + account + "\"");
        admin.deposit(stack.commandUrl(), account, "1.00");
        RECEIVER.await(url, r -> r.size() == 1, WITHIN);

        RebuildSystemTest.rebuildAll(admin, stack);
        admin.deposit(stack.commandUrl(), account, "2.00");
        // An account's deliveries go out in its order: had the rebuild set off the account's earlier
        // events again, they would arrive before the new deposit's.
        List<Received> received = RECEIVER.await(url, r -> r.size() >= 2, WITHIN);
        assertEquals(2, received.size(), "only the new deposit: " + received.stream().map(Received::body).toList());
        assertEquals(3, received.get(1).data().get("sequence").asLong());
        assertEquals(2, deliveries(subscription).size());
    }

    @Test
    void customers_subscribe_to_their_own_accounts_only_and_see_only_their_subscriptions() throws Exception {
        String alice = "wh-alice-" + UUID.randomUUID();
        String bob = "wh-bob-" + UUID.randomUUID();
        String alicesAccount = open(alice);
        awaitProjected(alicesAccount);
        Http asAlice = Http.as(alice, "customer");
        Http asBob = Http.as(bob, "customer");
        String url = RECEIVER.path("customer-" + UUID.randomUUID(), Script.ok());

        Http.Reply bobOnAlicesAccount = asBob.post(stack.projectionUrl() + "/webhooks",
                body(url, "[\"FundsDeposited\"]", "\"accountId\":\"" + alicesAccount + "\""));
        assertEquals(404, bobOnAlicesAccount.status(), bobOnAlicesAccount::toString);
        Http.Reply bobOnAlice = asBob.post(stack.projectionUrl() + "/webhooks", body(url, "[\"FundsDeposited\"]", "\"owner\":\"" + alice + "\""));
        assertEquals(403, bobOnAlice.status(), bobOnAlice::toString);
        Http.Reply teller = Http.as("a-teller", "teller").post(stack.projectionUrl() + "/webhooks", body(url, "[\"FundsDeposited\"]", ""));
        assertEquals(403, teller.status(), teller::toString);
        Http.Reply anonymous = Http.withAuthorization(null).post(stack.projectionUrl() + "/webhooks", body(url, "[\"FundsDeposited\"]", ""));
        assertEquals(401, anonymous.status(), anonymous::toString);

        JsonNode alices = subscribe(asAlice, url, "[\"FundsDeposited\"]", "\"accountId\":\"" + alicesAccount + "\"");
        JsonNode byDefault = subscribe(asAlice, url, "[\"FundsDeposited\"]", "");
        assertEquals(alice, byDefault.get("owner").asText(), "a customer's subscription covers its own accounts");
        String id = alices.get("id").asText();
        assertEquals(404, asBob.get(stack.projectionUrl() + "/webhooks/" + id).status());
        assertEquals(404, asBob.get(stack.projectionUrl() + "/webhooks/" + id + "/deliveries").status());
        assertEquals(404, asBob.delete(stack.projectionUrl() + "/webhooks/" + id).status());
        assertEquals(200, asAlice.get(stack.projectionUrl() + "/webhooks/" + id).status());
        assertEquals(2, asAlice.get(stack.projectionUrl() + "/webhooks").json().size());
        assertEquals(0, asBob.get(stack.projectionUrl() + "/webhooks").json().size());
        assertEquals(204, asAlice.delete(stack.projectionUrl() + "/webhooks/" + id).status());
        assertEquals(404, asAlice.get(stack.projectionUrl() + "/webhooks/" + id).status());
    }

    @Test
    void bad_subscriptions_are_refused_with_every_reason_and_nothing_is_created() {
        Http.Reply reply = admin.post(stack.projectionUrl() + "/webhooks",
                "{\"url\":\"ftp://127.0.0.1/x\",\"events\":[\"MoneyPrinted\"],\"accountId\":\"a\\u0000b\",\"secret\":\"plain\",\"extra\":1}");
        assertEquals(400, reply.status(), reply::toString);
        assertEquals("validation", reply.json().get("code").asText());
        Set<String> fields = new HashSet<>();
        reply.json().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertEquals(Set.of("url", "events", "accountId", "secret", "extra"), fields, reply::toString);
        Http.Reply duplicate = admin.post(stack.projectionUrl() + "/webhooks",
                "{\"url\":\"http://127.0.0.1/a\",\"url\":\"http://127.0.0.1/b\",\"events\":[\"FundsDeposited\"]}");
        assertEquals(400, duplicate.status(), duplicate::toString);
        Http.Reply credentials = admin.post(stack.projectionUrl() + "/webhooks",
                "{\"url\":\"http://user:pw@127.0.0.1/a\",\"events\":[\"FundsDeposited\"]}");
        assertEquals(400, credentials.status(), credentials::toString);
    }

    private static void awaitSpan(String traceId, String name) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (SharedStack.traces().trace(traceId).stream().anyMatch(span -> span.name().equals(name))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no span " + name + " in trace " + traceId + ": " + SharedStack.traces().trace(traceId));
    }

    private static long distinctEvents(List<Received> received) {
        return received.stream().map(r -> r.data().get("eventId").asText()).distinct().count();
    }

    private String open(String owner) {
        String id = "wh-" + UUID.randomUUID();
        Http.Reply opened = admin.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"%s\",\"owner\":\"%s\",\"currency\":\"USD\"}".formatted(id, owner));
        assertEquals(201, opened.status(), opened::toString);
        return id;
    }

    private void awaitProjected(String account) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (admin.get(stack.queryUrl() + "/accounts/" + account).status() == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(account + " never reached the read model");
    }

    private static String body(String url, String events, String scope) {
        return "{\"url\":\"" + url + "\",\"events\":" + events + (scope.isEmpty() ? "" : "," + scope) + "}";
    }

    private JsonNode subscribe(Http as, String url, String events, String scope) {
        Http.Reply created = as.post(stack.projectionUrl() + "/webhooks", body(url, events, scope));
        assertEquals(201, created.status(), created::toString);
        assertEquals("/webhooks/" + created.json().get("id").asText(), java.net.URI.create(created.header("Location")).getPath());
        assertEquals("ACTIVE", created.json().get("status").asText());
        return created.json();
    }

    private JsonNode deliveries(JsonNode subscription) {
        Http.Reply reply = admin.get(stack.projectionUrl() + "/webhooks/" + subscription.get("id").asText() + "/deliveries");
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private JsonNode awaitDelivery(JsonNode subscription, long sequence, String status) throws InterruptedException {
        JsonNode last = null;
        for (int i = 0; i < 1200; i++) {
            for (JsonNode delivery : deliveries(subscription)) {
                if (delivery.get("sequence").asLong() == sequence) {
                    last = delivery;
                    if (delivery.get("status").asText().equals(status)) {
                        return delivery;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("delivery of sequence " + sequence + " never " + status + ": " + last);
    }

    private void awaitStatus(JsonNode subscription, String status) throws InterruptedException {
        String last = null;
        for (int i = 0; i < 600; i++) {
            last = admin.get(stack.projectionUrl() + "/webhooks/" + subscription.get("id").asText()).json().get("status").asText();
            if (last.equals(status)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("subscription never " + status + ", still " + last);
    }
}
