package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.EventMeta;
import dev.tally.events.FundsHeld;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.stack.LocalStack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Holds over HTTP against the running stack (issue 14, section 1): what a hold does to what an
 * account can spend, capture once, release, expiry by the write model exactly once, and many
 * concurrent hold commands on few accounts that leave the log consistent.
 */
class HoldSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void a_hold_reserves_money_and_ends_exactly_once() {
        String account = "hold-" + UUID.randomUUID().toString().substring(0, 8);
        http.openAccount(stack.commandUrl(), account);
        http.deposit(stack.commandUrl(), account, "100.00");

        Http.Reply placed = place(account, "{\"holdId\":\"h1\",\"amount\":\"60.00\",\"reference\":\"hotel\"}");
        assertEquals(201, placed.status(), placed.body());
        assertEquals("OPEN", placed.json().get("status").asText());
        assertEquals("100.00", placed.json().get("balance").asText());
        assertEquals("60.00", placed.json().get("held").asText());
        assertEquals("40.00", placed.json().get("available").asText());
        assertNotNull(placed.json().get("expiresAt").asText());
        assertNotNull(placed.header("Consistency-Token"));

        Http.Reply overdrawn = http.post(stack.commandUrl() + "/accounts/" + account + "/withdrawals",
                "{\"amount\":\"40.01\"}");
        assertEquals(422, overdrawn.status(), "held money cannot be withdrawn: " + overdrawn.body());
        assertEquals("insufficient-funds", overdrawn.json().get("code").asText());

        Http.Reply again = place(account, "{\"holdId\":\"h1\",\"amount\":\"60.00\",\"reference\":\"hotel\"}");
        assertEquals(201, again.status(), "the same placement is answered as the first was: " + again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        Http.Reply other = place(account, "{\"holdId\":\"h1\",\"amount\":\"1.00\"}");
        assertEquals(409, other.status(), other.body());
        assertEquals("hold-exists", other.json().get("code").asText());

        Http.Reply captured = http.post(holds(account) + "/h1/capture", "{\"amount\":\"25.00\"}");
        assertEquals(200, captured.status(), captured.body());
        assertEquals("CAPTURED", captured.json().get("status").asText());
        assertEquals("25.00", captured.json().get("capturedAmount").asText());
        assertEquals("35.00", captured.json().get("releasedAmount").asText());
        assertEquals("75.00", captured.json().get("balance").asText());
        assertEquals("75.00", captured.json().get("available").asText());
        String withdrawal = captured.json().get("transactionId").asText();

        Http.Reply twice = http.post(holds(account) + "/h1/capture", "{}");
        assertEquals(422, twice.status(), twice.body());
        assertEquals("hold-not-open", twice.json().get("code").asText());
        Http.Reply unknown = http.post(holds(account) + "/nope/release", "{}");
        assertEquals(404, unknown.status(), unknown.body());
        assertEquals("hold-not-found", unknown.json().get("code").asText());
        Http.Reply badDuration = place(account, "{\"amount\":\"1.00\",\"expiresIn\":\"tomorrow\"}");
        assertEquals(400, badDuration.status(), badDuration.body());
        assertEquals("expiresIn", badDuration.json().get("errors").get(0).get("field").asText());

        Http.Reply released = http.post(holds(account) + "/" + place(account, "{\"holdId\":\"h2\",\"amount\":\"5.00\"}")
                .json().get("holdId").asText() + "/release", "{\"reason\":\"order cancelled\"}");
        assertEquals(200, released.status(), released.body());
        assertEquals("RELEASED", released.json().get("status").asText());
        assertEquals("75.00", released.json().get("available").asText());

        List<SpecificRecord> log = LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), account);
        List<String> types = log.stream().map(e -> e.getSchema().getName()).toList();
        assertEquals(List.of("AccountOpened", "FundsDeposited", "FundsHeld", "HoldCaptured", "FundsWithdrawn",
                "FundsHeld", "HoldReleased"), types);
        FundsWithdrawn paid = (FundsWithdrawn) log.get(4);
        assertEquals(withdrawal, paid.getTransactionId());
        assertEquals(2_500, paid.getAmountMinor());
    }

    /**
     * A placement sent again answers 201, as the first one did, with {@code Idempotent-Replayed:
     * true}: whether the retry is recognised by its Idempotency-Key or by its hold id and body. It
     * holds nothing more.
     */
    @Test
    void a_placement_sent_again_is_answered_201_with_or_without_an_idempotency_key() {
        String account = "hold-again-" + UUID.randomUUID().toString().substring(0, 8);
        http.openAccount(stack.commandUrl(), account);
        http.deposit(stack.commandUrl(), account, "10.00");
        String key = "place-" + UUID.randomUUID();

        Http.Reply keyed = http.post(holds(account), "{\"holdId\":\"k1\",\"amount\":\"1.00\"}", "Idempotency-Key", key);
        assertEquals(201, keyed.status(), keyed.body());
        assertEquals(null, keyed.header("Idempotent-Replayed"));
        Http.Reply keyedAgain = http.post(holds(account), "{\"holdId\":\"k1\",\"amount\":\"1.00\"}", "Idempotency-Key", key);
        assertEquals(201, keyedAgain.status(), "the same key and body: " + keyedAgain.body());
        assertEquals("true", keyedAgain.header("Idempotent-Replayed"));
        assertEquals("k1", keyedAgain.json().get("holdId").asText());

        Http.Reply plain = place(account, "{\"holdId\":\"n1\",\"amount\":\"2.00\"}");
        assertEquals(201, plain.status(), plain.body());
        assertEquals(null, plain.header("Idempotent-Replayed"));
        Http.Reply plainAgain = place(account, "{\"holdId\":\"n1\",\"amount\":\"2.00\"}");
        assertEquals(201, plainAgain.status(), "the same hold id and body, no key: " + plainAgain.body());
        assertEquals("true", plainAgain.header("Idempotent-Replayed"));
        assertEquals("n1", plainAgain.json().get("holdId").asText());
        assertEquals("3.00", plainAgain.json().get("held").asText(), "held once each: " + plainAgain.body());
        assertEquals("7.00", plainAgain.json().get("available").asText(), plainAgain.body());

        List<String> types = LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), account).stream()
                .map(e -> e.getSchema().getName()).toList();
        assertEquals(List.of("AccountOpened", "FundsDeposited", "FundsHeld", "FundsHeld"), types);
    }

    /**
     * An {@code expiresIn} that is zero, negative, past the maximum ({@code P30D} by default) or no
     * ISO-8601 duration at all is a 400 {@code validation} naming the field, and holds nothing.
     */
    @Test
    void an_expiry_that_is_not_positive_past_the_maximum_or_unparsable_is_refused_and_holds_nothing() {
        String account = "hold-expiry-" + UUID.randomUUID().toString().substring(0, 8);
        http.openAccount(stack.commandUrl(), account);
        http.deposit(stack.commandUrl(), account, "10.00");

        for (String expiresIn : List.of("PT0S", "-PT1H", "P31D", "soon")) {
            Http.Reply refused = place(account, "{\"holdId\":\"e1\",\"amount\":\"4.00\",\"expiresIn\":\"" + expiresIn + "\"}");
            assertEquals(400, refused.status(), expiresIn + ": " + refused.body());
            assertTrue(String.valueOf(refused.header("Content-Type")).startsWith("application/problem+json"),
                    expiresIn + ": " + refused.header("Content-Type"));
            assertEquals("validation", refused.json().path("code").asText(), expiresIn + ": " + refused.body());
            assertEquals(1, refused.json().path("errors").size(), expiresIn + ": " + refused.body());
            assertEquals("expiresIn", refused.json().path("errors").get(0).path("field").asText(), expiresIn + ": " + refused.body());
        }

        // Nothing was held: the whole balance is still available to a hold that is valid, under the same id.
        Http.Reply valid = place(account, "{\"holdId\":\"e1\",\"amount\":\"10.00\",\"expiresIn\":\"P30D\"}");
        assertEquals(201, valid.status(), valid.body());
        assertEquals("10.00", valid.json().get("held").asText(), valid.body());
        assertEquals("0.00", valid.json().get("available").asText(), valid.body());
        List<String> types = LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), account).stream()
                .map(e -> e.getSchema().getName()).toList();
        assertEquals(List.of("AccountOpened", "FundsDeposited", "FundsHeld"), types);
    }

    @Test
    void an_open_hold_expires_once_by_itself() throws Exception {
        String account = "hold-exp-" + UUID.randomUUID().toString().substring(0, 8);
        http.openAccount(stack.commandUrl(), account);
        http.deposit(stack.commandUrl(), account, "10.00");
        Http.Reply placed = place(account, "{\"holdId\":\"soon\",\"amount\":\"4.00\",\"expiresIn\":\"PT1S\"}");
        assertEquals(201, placed.status(), placed.body());

        List<HoldExpired> expired = awaitExpiries(account, 1);
        assertEquals("soon", expired.get(0).getHoldId());
        assertEquals(400, expired.get(0).getReleasedMinor());
        assertEquals("system", expired.get(0).getMeta().getActor());
        Http.Reply late = http.post(holds(account) + "/soon/capture", "{}");
        assertEquals(422, late.status(), late.body());
        assertEquals("hold-not-open", late.json().get("code").asText());
        Thread.sleep(3_000); // three more expiry checks: none may expire it again
        assertEquals(1, expiries(account).size(), "expired exactly once");
        Http.Reply spend = http.post(stack.commandUrl() + "/accounts/" + account + "/withdrawals", "{\"amount\":\"10.00\"}");
        assertEquals(201, spend.status(), "the expired hold's money is available again: " + spend.body());
    }

    /**
     * Many clients at once on three accounts: places, captures, releases and 1-second expiries
     * interleave. Whatever the order, every hold ends at most once, every capture's withdrawal
     * follows its closing, and after every event the account could cover what it had reserved.
     */
    @Test
    void concurrent_hold_commands_on_few_accounts_keep_the_books_straight() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> accounts = List.of("hc-a-" + run, "hc-b-" + run, "hc-c-" + run);
        for (String account : accounts) {
            http.openAccount(stack.commandUrl(), account);
            http.deposit(stack.commandUrl(), account, "50.00");
        }
        ExecutorService clients = Executors.newFixedThreadPool(12);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < 500; i++) { // 500 placements and their ends: 1,000 hold commands
            int n = i;
            work.add(clients.submit(() -> {
                Random random = new Random(n);
                String account = accounts.get(n % accounts.size());
                String hold = "h" + n;
                String expires = random.nextInt(4) == 0 ? ",\"expiresIn\":\"PT1S\"" : "";
                Http.Reply placed = http.postPolitely(holds(account), "{\"holdId\":\"" + hold + "\",\"amount\":\""
                        + (1 + random.nextInt(9)) + ".00\"" + expires + "}");
                assertTrue(placed.status() == 201 || placed.status() == 422, placed.body());
                if (placed.status() == 201) {
                    String action = random.nextBoolean() ? "/capture" : "/release";
                    String body = action.equals("/capture") && random.nextBoolean() ? "{\"amount\":\"1.00\"}" : "{}";
                    Http.Reply ended = http.postPolitely(holds(account) + "/" + hold + action, body);
                    assertTrue(ended.status() == 200 || ended.status() == 422, ended.body());
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        clients.shutdown();
        List<SpecificRecord> all = awaitEveryHoldEnded(accounts);
        for (String account : accounts) {
            List<SpecificRecord> log = LedgerLog.of(all, account);
            Map<String, String> endings = new HashMap<>();
            long balance = 0;
            long held = 0;
            String capturing = null;
            for (SpecificRecord event : log) {
                EventMeta meta = LedgerLog.meta(event);
                switch (event) {
                    case FundsHeld e -> {
                        held += e.getAmountMinor();
                        assertEquals(held, e.getHeldAfterMinor(), "held after " + meta.getEventId());
                    }
                    case HoldCaptured e -> {
                        held -= e.getCapturedMinor() + e.getReleasedMinor();
                        assertEquals(held, e.getHeldAfterMinor());
                        assertEquals(null, endings.put(e.getHoldId(), "CAPTURED"), "a hold ends once: " + e.getHoldId());
                        capturing = e.getTransactionId();
                    }
                    case HoldReleased e -> {
                        held -= e.getReleasedMinor();
                        assertEquals(held, e.getHeldAfterMinor());
                        assertEquals(null, endings.put(e.getHoldId(), "RELEASED"), "a hold ends once: " + e.getHoldId());
                    }
                    case HoldExpired e -> {
                        held -= e.getReleasedMinor();
                        assertEquals(held, e.getHeldAfterMinor());
                        assertEquals(null, endings.put(e.getHoldId(), "EXPIRED"), "a hold ends once: " + e.getHoldId());
                    }
                    case FundsWithdrawn e -> {
                        balance -= e.getAmountMinor();
                        assertEquals(capturing, e.getTransactionId(), "a withdrawal here is a capture's, right after it");
                        capturing = null;
                    }
                    case dev.tally.events.FundsDeposited e -> balance += e.getAmountMinor();
                    default -> {
                    }
                }
                assertTrue(balance - held >= 0, () -> "available below zero at " + meta.getSequence() + " of " + account);
            }
            assertEquals(0, held, account + ": every hold ended (the 1-second ones expired)");
        }
    }

    /** The log once every hold placed on these accounts has ended (the 1-second ones expire by themselves). */
    private List<SpecificRecord> awaitEveryHoldEnded(List<String> accounts) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            List<SpecificRecord> all = LedgerLog.readAll(stack.bootstrapServers());
            long placed = all.stream().filter(e -> e instanceof FundsHeld h && accounts.contains(h.getMeta().getAccountId()))
                    .count();
            long ended = all.stream().filter(e -> (e instanceof HoldCaptured || e instanceof HoldReleased
                    || e instanceof HoldExpired) && accounts.contains(LedgerLog.meta(e).getAccountId())).count();
            if (placed == ended || System.nanoTime() > deadline) {
                return all;
            }
            Thread.sleep(250);
        }
    }


    private List<HoldExpired> awaitExpiries(String account, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<HoldExpired> found;
        do {
            found = expiries(account);
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no expiry of " + account + "'s hold on the log within 30 s");
    }

    private List<HoldExpired> expiries(String account) {
        return LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), account).stream()
                .filter(HoldExpired.class::isInstance).map(HoldExpired.class::cast).toList();
    }

    private Http.Reply place(String account, String body) {
        return http.post(holds(account), body);
    }

    private String holds(String account) {
        return stack.commandUrl() + "/accounts/" + account + "/holds";
    }
}
