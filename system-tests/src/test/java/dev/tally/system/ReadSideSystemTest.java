package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.ConsistencyToken;
import dev.tally.stack.LocalStack;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read models over HTTP: read-your-writes, time travel, transfers, days, audit, listing. */
class ReadSideSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void a_thousand_writes_each_read_back_at_once_with_its_consistency_token() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(open("ryw", "USD"));
        }
        AtomicInteger stale = new AtomicInteger();
        List<Http.Reply> last = WriteModelSystemTest.concurrently(4, client -> {
            Http.Reply read = null;
            for (int i = 0; i < 250; i++) {
                Http.Reply wrote = http.post(stack.commandUrl() + "/accounts/" + ids.get(client) + "/deposits",
                        "{\"amount\":\"1.00\"}");
                assertEquals(201, wrote.status(), wrote::toString);
                read = http.get(stack.queryUrl() + "/accounts/" + ids.get(client), "Consistency-Token",
                        wrote.header("Consistency-Token"));
                if (read.status() != 200 || !read.json().get("balance").asText().equals(wrote.json().get("balance").asText())) {
                    stale.incrementAndGet();
                }
            }
            return read;
        });
        assertEquals(0, stale.get(), "every read saw its own write");
        last.forEach(read -> assertEquals("250.00", read.json().get("balance").asText()));
    }

    @Test
    void the_balance_as_of_an_instant_between_events_is_the_balance_after_the_earlier_one() throws Exception {
        String id = open("asof", "USD");
        deposit(id, "10.00");
        Thread.sleep(20);
        Http.Reply second = deposit(id, "5.00");
        JsonNode lines = http.get(stack.queryUrl() + "/accounts/" + id + "/entries", "Consistency-Token",
                second.header("Consistency-Token")).json().get("items");
        Instant first = Instant.parse(lines.get(0).get("occurredAt").asText());
        Instant then = Instant.parse(lines.get(1).get("occurredAt").asText());
        Instant between = first.plusNanos((then.toEpochMilli() - first.toEpochMilli()) * 500_000);
        String token = second.header("Consistency-Token");

        assertEquals("10.00", balanceAt(id, between, token));
        assertEquals("15.00", balanceAt(id, then, token));
        assertEquals("0.00", balanceAt(id, first.minusNanos(1000), token), "opened, nothing deposited yet");
        Http.Reply view = http.get(stack.queryUrl() + "/accounts/" + id + "?asOf=" + between, "Consistency-Token", token);
        assertEquals("10.00", view.json().get("balance").asText());
        assertEquals(2, view.json().get("version").asLong());
        assertEquals(404, http.get(stack.queryUrl() + "/accounts/" + id + "/balance?asOf=2000-01-01T00:00:00Z").status(),
                "the account did not exist then");
        assertEquals(400, http.get(stack.queryUrl() + "/accounts/" + id + "/balance?asOf=yesterday").status());
    }

    @Test
    void a_transfer_reads_back_completed_and_shows_on_both_statements_the_audit_and_the_day() {
        String alice = open("alice", "USD");
        String bob = open("bob", "USD");
        deposit(alice, "50.00");
        Http.Reply transfer = Http.as("alice-app", "teller").post(stack.commandUrl() + "/transfers", """
                {"fromAccountId":"%s","toAccountId":"%s","amount":"20.00","reference":"rent"}""".formatted(alice, bob));
        assertEquals(201, transfer.status(), transfer::toString);
        String token = transfer.header("Consistency-Token");

        JsonNode status = http.get(stack.queryUrl() + transfer.header("Location"), "Consistency-Token", token).json();
        assertEquals("COMPLETED", status.get("status").asText(), status::toString);
        assertEquals("20.00", status.get("amount").asText());
        JsonNode bobLines = http.get(stack.queryUrl() + "/accounts/" + bob + "/entries", "Consistency-Token", token)
                .json().get("items");
        assertEquals("TRANSFER_IN", bobLines.get(0).get("type").asText());
        assertEquals(alice, bobLines.get(0).get("counterpartyAccountId").asText());

        JsonNode audit = http.get(stack.queryUrl() + "/audit?accountId=" + alice + "&actor=alice-app",
                "Consistency-Token", token).json().get("items");
        assertTrue(audit.size() >= 1, audit::toString);
        assertEquals("TransferDebited", audit.get(0).get("type").asText());
        assertEquals(transfer.json().get("transferId").asText(), audit.get(0).get("details").get("transferId").asText());

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode days = http.get(stack.queryUrl() + "/accounts/" + alice + "/daily?from=" + today.minusDays(1) + "&to="
                + today, "Consistency-Token", token).json().get("days");
        assertEquals(2, days.size());
        assertEquals("0.00", days.get(0).get("closingBalance").asText(), "nothing happened yesterday");
        JsonNode todayRow = days.get(1);
        assertEquals(List.of("0.00", "30.00", "50.00", "20.00", 2), List.of(todayRow.get("openingBalance").asText(),
                todayRow.get("closingBalance").asText(), todayRow.get("totalIn").asText(),
                todayRow.get("totalOut").asText(), todayRow.get("entryCount").asInt()));
    }

    @Test
    void an_owners_accounts_come_in_keyset_pages() {
        String owner = "owner-" + UUID.randomUUID();
        List<String> opened = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "page-" + UUID.randomUUID();
            http.post(stack.commandUrl() + "/accounts",
                    "{\"accountId\":\"%s\",\"owner\":\"%s\",\"currency\":\"EUR\"}".formatted(id, owner));
            opened.add(id);
        }
        // One token for all three openings: a client that made several writes may merge their tokens.
        String all = new ConsistencyToken(java.util.Map.of(opened.get(0), 1L, opened.get(1), 1L, opened.get(2), 1L))
                .encode();
        List<String> seen = new ArrayList<>();
        JsonNode page = http.get(stack.queryUrl() + "/accounts?owner=" + owner + "&limit=2", "Consistency-Token", all)
                .json();
        page.get("items").forEach(a -> seen.add(a.get("accountId").asText()));
        JsonNode rest = http.get(stack.queryUrl() + "/accounts?owner=" + owner + "&limit=2&after=" + page.get("next").asText())
                .json();
        rest.get("items").forEach(a -> seen.add(a.get("accountId").asText()));
        assertNull(rest.get("next").textValue());
        assertEquals(opened.stream().sorted().toList(), seen);
        assertEquals(400, http.get(stack.queryUrl() + "/accounts?owner=x&limit=501").status());
    }

    private String balanceAt(String id, Instant at, String token) {
        Http.Reply reply = http.get(stack.queryUrl() + "/accounts/" + id + "/balance?asOf=" + at, "Consistency-Token",
                token);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().get("balance").asText();
    }

    private Http.Reply deposit(String id, String amount) {
        Http.Reply reply = http.post(stack.commandUrl() + "/accounts/" + id + "/deposits", "{\"amount\":\"" + amount + "\"}");
        assertEquals(201, reply.status(), reply::toString);
        return reply;
    }

    private String open(String prefix, String currency) {
        String id = prefix + "-" + UUID.randomUUID();
        Http.Reply opened = http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"%s\",\"owner\":\"%s\",\"currency\":\"%s\"}".formatted(id, prefix, currency));
        assertEquals(201, opened.status(), opened::toString);
        return id;
    }
}
