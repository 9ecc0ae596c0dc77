package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.events.FundsDeposited;
import dev.tally.events.SubjectForgotten;
import dev.tally.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Personal data over HTTP (issue 16): values sealed at the source and revealed by the query service,
 * keys that survive kill -9 of the services holding them, a subject forgotten for good (twice is
 * fine), and a forget in the middle of traffic that loses no money.
 */
class PersonalDataSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void a_forgotten_subjects_text_is_found_nowhere_and_its_money_still_adds_up() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String owner = "subject-" + run;
        String main = "pd-main-" + run;
        String savings = "pd-save-" + run;
        // Each value unique to this run, so that finding it anywhere is this test's leak.
        String name = "Ada Lovelace " + run;
        String reference = "rent for flat 4B " + run;
        String note = "paid by Ädä " + run;
        String holdNote = "hotel Zürich " + run;
        List<String> secrets = List.of(name, reference, note, holdNote);

        open(main, owner, name);
        open(savings, owner, name);
        created(http.post(deposits(main), "{\"amount\":\"100.00\",\"reference\":\"" + reference
                + "\",\"metadata\":{\"note\":\"" + note + "\"}}"));
        created(http.post(stack.commandUrl() + "/transfers", "{\"transferId\":\"pd-tx-" + run + "\",\"fromAccountId\":\""
                + main + "\",\"toAccountId\":\"" + savings + "\",\"amount\":\"30.00\",\"reference\":\"" + reference + "\"}"));
        created(http.post(stack.commandUrl() + "/accounts/" + main + "/holds",
                "{\"holdId\":\"h1\",\"amount\":\"5.00\",\"reference\":\"" + holdNote + "\"}"));

        assertNowhereInTheLog(secrets, "sealed at the source, before forgetting");
        assertEquals(reference, depositOnTheLog(main).getReference().toString(),
                "a subscriber trusted with the master key reads the text");
        ReadModels.awaitIdle(http, stack);
        JsonNode account = ok(http.get(stack.queryUrl() + "/accounts/" + main));
        assertEquals(name, account.get("metadata").get("name").asText(), "the query service reveals: " + account);
        assertEquals(reference, firstDeposit(main).get("reference").asText());
        assertTrue(ok(http.get(stack.queryUrl() + "/subjects/" + owner + "/export")).toString().contains(note),
                "the export holds the subject's text");

        // The keys live in the write model's store and its changelog and in every reader's key ring.
        stack.killService(LocalStack.COMMAND_SERVICE);
        stack.killService(LocalStack.QUERY_SERVICE);
        stack.startService(LocalStack.COMMAND_SERVICE);
        stack.startService(LocalStack.QUERY_SERVICE);
        assertEquals(name, ok(http.get(stack.queryUrl() + "/accounts/" + savings)).get("metadata").get("name").asText(),
                "keys survive kill -9 of the services that hold them");
        created(http.post(deposits(savings), "{\"amount\":\"1.00\",\"reference\":\"" + reference + "\"}"));

        Http.Reply teller = Http.as("a-teller", "teller").post(forget(owner), "{}");
        assertEquals(403, teller.status(), "only admins forget: " + teller);
        JsonNode forgotten = ok(http.post(forget(owner), "{}"));
        assertEquals(List.of(main + " FORGOTTEN", savings + " FORGOTTEN"), outcomes(forgotten));
        JsonNode again = ok(http.post(forget(owner), "{}"));
        assertEquals(List.of(main + " ALREADY_FORGOTTEN", savings + " ALREADY_FORGOTTEN"), outcomes(again),
                "forgetting twice is fine");

        ReadModels.awaitIdle(http, stack);
        account = ok(http.get(stack.queryUrl() + "/accounts/" + main));
        assertEquals("[erased]", account.get("metadata").get("name").asText(), account.toString());
        assertEquals("70.00", account.get("balance").asText(), "100 in, 30 out; the 5 held stay in the balance");
        assertEquals("65.00", account.get("available").asText());
        assertEquals("31.00", ok(http.get(stack.queryUrl() + "/accounts/" + savings)).get("balance").asText());
        JsonNode deposit = firstDeposit(main);
        assertEquals("[erased]", deposit.get("reference").asText());
        assertEquals("100.00", deposit.get("amount").asText(), "the statement line keeps its money");
        assertEquals("[erased]", ok(http.get(stack.queryUrl() + "/transfers/pd-tx-" + run)).get("reference").asText());
        String export = ok(http.get(stack.queryUrl() + "/subjects/" + owner + "/export")).toString();
        assertTrue(export.contains("[erased]") && export.contains(main), "the export still lists the accounts");

        assertNowhereInTheLog(secrets, "after forgetting");
        assertEquals("[erased]", depositOnTheLog(main).getReference().toString(), "and the marker once forgotten");
        List<SpecificRecord> events = LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), main);
        assertEquals(1, events.stream().filter(SubjectForgotten.class::isInstance).count(), "one SubjectForgotten each");
        assertFalse(events.get(events.size() - 1).toString().contains(name), "it holds no personal data");
        for (String secret : secrets) {
            assertEquals(List.of(), tablesHolding(secret), "no PostgreSQL table holds " + secret);
            for (String service : List.of(LocalStack.COMMAND_SERVICE, LocalStack.PROJECTION_SERVICE,
                    LocalStack.QUERY_SERVICE)) {
                assertFalse(new String(Files.readAllBytes(stack.logFile(service)), StandardCharsets.UTF_8).contains(secret),
                        service + "'s log holds " + secret);
            }
        }
        JsonNode reconciliation = ok(http.post(stack.projectionUrl() + "/reconciliation", "{}"));
        for (JsonNode check : reconciliation.get("checks")) {
            assertEquals(0, check.get("mismatches").size(), "reconciliation after forgetting: " + check);
        }
    }

    @Test
    void a_forget_during_traffic_loses_no_money_event() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String owner = "busy-subject-" + run;
        String account = "pd-busy-" + run;
        open(account, owner, "Grace Hopper " + run);
        ExecutorService depositor = Executors.newSingleThreadExecutor();
        Future<Integer> accepted = depositor.submit(() -> {
            int count = 0;
            for (int i = 0; i < 40; i++) {
                Http.Reply reply = http.post(deposits(account), "{\"amount\":\"1.00\",\"reference\":\"coffee " + run + "\"}");
                assertEquals(201, reply.status(), reply.toString());
                count++;
            }
            return count;
        });
        Thread.sleep(300);
        assertEquals(List.of(account + " FORGOTTEN"), outcomes(ok(http.post(forget(owner), "{}"))));
        int deposited = accepted.get();
        depositor.shutdown();

        List<SpecificRecord> events = LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), account);
        assertEquals(deposited, events.stream().filter(FundsDeposited.class::isInstance).count());
        assertEquals(4_000, ((FundsDeposited) events.stream().filter(FundsDeposited.class::isInstance)
                .reduce((a, b) -> b).orElseThrow()).getBalanceAfterMinor(), "every deposit is in the balance");
        ReadModels.awaitIdle(http, stack);
        assertEquals("40.00", ok(http.get(stack.queryUrl() + "/accounts/" + account)).get("balance").asText());
        assertNowhereInTheLog(List.of("coffee " + run), "before and after the forget");
        assertEquals(List.of(), tablesHolding("coffee " + run));
    }

    @Test
    void forgetting_nobody_is_404_and_a_customer_cannot_forget_itself() {
        Http.Reply nobody = http.post(forget("nobody-" + UUID.randomUUID()), "{}");
        assertEquals(404, nobody.status(), nobody.toString());
        assertEquals("subject-not-found", nobody.json().get("code").asText());
        assertEquals("application/problem+json", nobody.header("Content-Type"));

        Http.Reply control = http.post(stack.commandUrl() + "/subjects/a%01b/forget", "{}");
        assertEquals(400, control.status(), "a control character in the owner: " + control);
        assertEquals("application/problem+json", control.header("Content-Type"));

        String owner = "self-" + UUID.randomUUID().toString().substring(0, 8);
        open("pd-self-" + owner, owner, "Me Myself");
        Http.Reply self = Http.as(owner, "customer").post(forget(owner), "{}");
        assertEquals(403, self.status(), "forgetting goes through an admin: " + self);
    }

    @Test
    void two_forgets_of_one_subject_at_once_forget_each_account_once() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String owner = "twice-" + run;
        List<String> accounts = List.of("pd-twice-a-" + run, "pd-twice-b-" + run);
        accounts.forEach(account -> open(account, owner, "Twice " + run));
        ExecutorService both = Executors.newFixedThreadPool(2);
        List<Future<JsonNode>> answers = List.of(both.submit(() -> ok(http.post(forget(owner), "{}"))),
                both.submit(() -> ok(http.post(forget(owner), "{}"))));
        List<String> outcomes = new ArrayList<>();
        for (Future<JsonNode> answer : answers) {
            outcomes.addAll(outcomes(answer.get()));
        }
        both.shutdown();

        for (String account : accounts) {
            assertEquals(List.of(account + " ALREADY_FORGOTTEN", account + " FORGOTTEN"),
                    outcomes.stream().filter(o -> o.startsWith(account + " ")).sorted().toList(),
                    "one of the two forgot each account, the other found it forgotten: " + outcomes);
            assertEquals(1, LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), account).stream()
                    .filter(SubjectForgotten.class::isInstance).count(), account);
        }
    }

    private void open(String account, String owner, String name) {
        created(http.post(stack.commandUrl() + "/accounts", "{\"accountId\":\"" + account + "\",\"owner\":\"" + owner
                + "\",\"currency\":\"USD\",\"metadata\":{\"name\":\"" + name + "\"}}"));
    }

    private String deposits(String account) {
        return stack.commandUrl() + "/accounts/" + account + "/deposits";
    }

    private String forget(String owner) {
        return stack.commandUrl() + "/subjects/" + owner + "/forget";
    }

    private JsonNode firstDeposit(String account) {
        for (JsonNode line : ok(http.get(stack.queryUrl() + "/accounts/" + account + "/entries")).get("items")) {
            if (line.get("type").asText().equals("DEPOSIT")) {
                return line;
            }
        }
        throw new AssertionError("no deposit line on " + account);
    }

    /** The account's first deposit as RevealingLedgerEventDeserializer gives it, with the stack's master key. */
    private FundsDeposited depositOnTheLog(String account) {
        return (FundsDeposited) LedgerLog.of(LedgerLog.readAllRevealed(stack), account).stream()
                .filter(FundsDeposited.class::isInstance).findFirst().orElseThrow();
    }

    private static List<String> outcomes(JsonNode answer) {
        List<String> outcomes = new ArrayList<>();
        answer.get("accounts").forEach(a -> outcomes.add(a.get("accountId").asText() + " " + a.get("outcome").asText()));
        return outcomes.stream().sorted().toList();
    }

    private static void created(Http.Reply reply) {
        assertEquals(201, reply.status(), reply.toString());
    }

    private static JsonNode ok(Http.Reply reply) {
        assertEquals(200, reply.status(), reply.toString());
        return reply.json();
    }

    /** The raw bytes of every record of tally.ledger.events, as a plain consumer reads them. */
    private void assertNowhereInTheLog(List<String> secrets, String when) {
        List<ConsumerRecord<String, byte[]>> records = LedgerLog.records(stack.bootstrapServers());
        for (ConsumerRecord<String, byte[]> record : records) {
            String bytes = new String(record.value(), StandardCharsets.UTF_8);
            for (String secret : secrets) {
                assertFalse(bytes.contains(secret), when + ": the events topic holds " + secret + " at partition "
                        + record.partition() + " offset " + record.offset());
            }
        }
    }

    /** Every table of the read models' database with a row whose text holds {@code secret}. */
    private List<String> tablesHolding(String secret) throws Exception {
        List<String> holding = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword());
             Statement sql = db.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery("select table_schema || '.' || table_name from information_schema.tables"
                    + " where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            assertTrue(tables.contains("public.entries"), "the read models are in " + tables);
            for (String table : tables) {
                try (ResultSet found = sql.executeQuery("select count(*) from " + table + " t where strpos(t::text, '"
                        + secret.replace("'", "''") + "') > 0")) {
                    found.next();
                    if (found.getLong(1) > 0) {
                        holding.add(table);
                    }
                }
            }
        }
        return holding;
    }
}
