package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.AccountOpened;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
import dev.tally.schemas.ConsistencyToken;
import dev.tally.schemas.EventHeaders;
import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foundation, end to end: the packaged services, a real Kafka broker and a real PostgreSQL,
 * driven over HTTP the way API.md describes, and the events topic read from outside.
 */
class FirstSliceSystemTest {

    static LocalStack stack;
    final Http http = new Http();

    @BeforeAll
    static void startStack() {
        stack = SharedStack.get();
    }

    @Test
    void open_deposit_withdraw_refuse_then_read_the_balance_with_the_consistency_token() {
        String id = "alice-" + UUID.randomUUID().toString().substring(0, 8);

        Http.Reply opened = Http.as("teller-1", "teller").post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"" + id + "\",\"owner\":\"alice\",\"currency\":\"USD\"}");
        assertEquals(201, opened.status(), opened::toString);
        assertEquals("/accounts/" + id, URIPath.of(opened.header("Location")));
        assertEquals("0.00", opened.json().get("balance").asText());

        Http.Reply deposited = http.post(stack.commandUrl() + "/accounts/" + id + "/deposits", "{\"amount\":\"30.00\"}");
        assertEquals(201, deposited.status(), deposited::toString);
        assertEquals("30.00", deposited.json().get("balance").asText());

        Http.Reply withdrawn = http.post(stack.commandUrl() + "/accounts/" + id + "/withdrawals", "{\"amount\":\"20.00\"}");
        assertEquals(201, withdrawn.status(), withdrawn::toString);
        assertEquals("10.00", withdrawn.json().get("balance").asText());
        assertEquals(3, withdrawn.json().get("version").asLong());
        String token = withdrawn.header("Consistency-Token");
        assertNotNull(token, "every successful command carries a consistency token");
        assertEquals(token, withdrawn.json().get("consistencyToken").asText());

        Http.Reply refused = http.post(stack.commandUrl() + "/accounts/" + id + "/withdrawals", "{\"amount\":\"100.00\"}");
        assertEquals(422, refused.status(), refused::toString);
        assertEquals("application/problem+json", refused.header("Content-Type"));
        assertEquals("insufficient-funds", refused.json().get("code").asText());

        Http.Reply account = http.get(stack.queryUrl() + "/accounts/" + id, "Consistency-Token", token);
        assertEquals(200, account.status(), account::toString);
        assertEquals("10.00", account.json().get("balance").asText());
        assertEquals(3, account.json().get("version").asLong());
        assertEquals("OPEN", account.json().get("status").asText());
        assertEquals("\"3\"", account.header("ETag"));

        Http.Reply entries = http.get(stack.queryUrl() + "/accounts/" + id + "/entries", "Consistency-Token", token);
        assertEquals(200, entries.status(), entries::toString);
        assertEquals(2, entries.json().get("items").size());
        assertEquals("30.00", entries.json().get("items").get(0).get("amount").asText());
        assertEquals("-20.00", entries.json().get("items").get(1).get("amount").asText());
        assertEquals("10.00", entries.json().get("items").get(1).get("balanceAfter").asText());
        assertEquals(Http.STAFF, entries.json().get("items").get(1).get("actor").asText(),
                "the actor is the token's subject");

        // The log holds exactly the three accepted events, in order, and nothing for the refusal.
        List<ConsumerRecord<String, byte[]>> log = eventsOf(id, 3);
        LedgerEventDeserializer decoder = new LedgerEventDeserializer();
        List<SpecificRecord> events = log.stream().map(r -> decoder.deserialize(r.topic(), r.value())).toList();
        assertTrue(events.get(0) instanceof AccountOpened, events::toString);
        assertTrue(events.get(1) instanceof FundsDeposited, events::toString);
        assertTrue(events.get(2) instanceof FundsWithdrawn, events::toString);
        assertEquals(2000, ((FundsWithdrawn) events.get(2)).getAmountMinor());
        assertEquals("teller-1", ((AccountOpened) events.get(0)).getMeta().getActor());
        assertEquals("FundsWithdrawn", new String(log.get(2).headers().lastHeader(EventHeaders.EVENT_TYPE).value(),
                StandardCharsets.UTF_8));
    }

    @Test
    void bad_input_is_a_clear_problem_and_changes_nothing() {
        String id = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"" + id + "\",\"owner\":\"bob\",\"currency\":\"JPY\"}").status());

        assertProblem(400, "validation", http.post(depositUrl(id), "{\"amount\":30}"));
        assertProblem(400, "validation", http.post(depositUrl(id), "{\"amount\":\"30\",\"amout\":\"1\"}"));
        assertProblem(400, "validation", http.post(depositUrl(id), "{\"amount\":"));
        assertProblem(400, "validation", http.post(depositUrl(id), "{\"amount\":\"1.5\"}"));
        assertProblem(400, "validation", http.post(depositUrl(id), "{\"amount\":\"-5\"}"));
        assertProblem(400, "validation", http.post(depositUrl(id), "{\"amount\":\"1e3\"}"));
        assertProblem(400, "validation", http.post(depositUrl(id), "{\"amount\":\"0\"}"));
        assertProblem(404, "account-not-found", http.post(depositUrl("nobody-" + id), "{\"amount\":\"5\"}"));
        assertProblem(409, "account-exists", http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"" + id + "\",\"owner\":\"eve\",\"currency\":\"JPY\"}"));
        assertProblem(400, "validation", http.post(stack.commandUrl() + "/accounts",
                "{\"owner\":\"eve\",\"currency\":\"EURO\"}"));
        assertProblem(400, "validation", http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"bad id!\",\"owner\":\"eve\",\"currency\":\"EUR\"}"));

        Http.Reply deposited = http.post(depositUrl(id), "{\"amount\":\"500\"}");
        assertEquals(201, deposited.status(), deposited::toString);
        assertEquals("500", deposited.json().get("balance").asText(), "JPY has no minor units");
        assertEquals(2, deposited.json().get("version").asLong(), "none of the refused commands added an event");
        assertEquals(2, eventsOf(id, 2).size());
    }

    @Test
    void a_read_that_cannot_catch_up_within_the_wait_is_a_503_with_retry_after() {
        String unreachable = ConsistencyToken.of("nobody-" + UUID.randomUUID(), 1).encode();

        Http.Reply lagging = http.get(stack.queryUrl() + "/accounts/whoever", "Consistency-Token", unreachable,
                "Consistency-Wait", "200");

        assertProblem(503, "projection-lagging", lagging);
        assertNotNull(lagging.header("Retry-After"));
        assertProblem(400, "validation", http.get(stack.queryUrl() + "/accounts/whoever", "Consistency-Token", "junk"));
        assertProblem(404, "account-not-found", http.get(stack.queryUrl() + "/accounts/nobody-at-all"));
    }

    @Test
    void every_service_is_ready_and_serves_metrics_and_openapi() {
        for (String url : List.of(stack.commandUrl(), stack.queryUrl(), stack.projectionUrl())) {
            assertEquals(200, http.get(url + "/q/health/ready").status(), url);
            assertEquals(200, http.get(url + "/q/metrics").status(), url);
            assertEquals(200, http.get(url + "/q/openapi").status(), url);
        }
        assertEquals(201, http.post(stack.commandUrl() + "/accounts",
                "{\"owner\":\"metrics\",\"currency\":\"USD\"}").status());
        String commandMetrics = http.get(stack.commandUrl() + "/q/metrics").body();
        assertTrue(commandMetrics.matches("(?s).*tally_commands_seconds_bucket\\{[^}]*outcome=\"accepted\"[^}]*\\}.*"),
                "command latency histogram by outcome");
        assertTrue(commandMetrics.contains("tally_events_appended_total{type=\"AccountOpened\"}"), "events appended by type");
        Http.Reply projections = http.get(stack.projectionUrl() + "/projections");
        assertEquals(200, projections.status());
        List<String> names = new ArrayList<>();
        projections.json().forEach(p -> names.add(p.get("name").asText()));
        assertTrue(names.containsAll(List.of("accounts", "statements", "account-history", "daily-balances",
                "transfers", "audit")), names::toString);
    }

    private String depositUrl(String accountId) {
        return stack.commandUrl() + "/accounts/" + accountId + "/deposits";
    }

    private static void assertProblem(int status, String code, Http.Reply reply) {
        assertEquals(status, reply.status(), reply::toString);
        assertTrue(reply.header("Content-Type").startsWith("application/problem+json"), reply.header("Content-Type"));
        assertEquals(code, reply.json().get("code").asText(), reply::toString);
        assertEquals(status, reply.json().get("status").asInt());
    }

    /** One account's records in the events topic, of which there must be exactly {@code expected}. */
    private static List<ConsumerRecord<String, byte[]>> eventsOf(String accountId, int expected) {
        List<ConsumerRecord<String, byte[]>> found = LedgerLog.records(stack.bootstrapServers()).stream()
                .filter(record -> accountId.equals(record.key())).toList();
        assertEquals(expected, found.size(), "events of " + accountId);
        return found;
    }

    /** The path of a Location header, whether the server made it absolute or not. */
    private static final class URIPath {
        static String of(String location) {
            return java.net.URI.create(location).getPath();
        }
    }
}
