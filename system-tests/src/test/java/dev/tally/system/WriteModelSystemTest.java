package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.FundsWithdrawn;
import dev.tally.stack.LocalStack;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The write model's promises under concurrency, over HTTP against the real broker. */
class WriteModelSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void fifty_concurrent_withdrawals_of_ten_from_a_hundred_let_exactly_ten_through() throws Exception {
        String id = openWith("100.00");

        List<Http.Reply> replies = concurrently(50, i -> http.post(url(id, "withdrawals"), "{\"amount\":\"10.00\"}"));

        assertEquals(10, replies.stream().filter(r -> r.status() == 201).count(), replies::toString);
        assertEquals(40, replies.stream().filter(r -> r.status() == 422
                && r.json().get("code").asText().equals("insufficient-funds")).count(), replies::toString);
        List<SpecificRecord> log = LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), id);
        assertEquals(10, log.stream().filter(e -> e instanceof FundsWithdrawn).count());
        assertEquals(0, ((FundsWithdrawn) log.get(log.size() - 1)).getBalanceAfterMinor());
    }

    @Test
    void five_concurrent_retries_of_one_idempotency_key_append_one_event() throws Exception {
        String id = openWith("1.00");
        String key = UUID.randomUUID().toString();

        List<Http.Reply> replies = concurrently(5, i -> http.post(url(id, "deposits"), "{\"amount\":\"5.00\"}",
                "Idempotency-Key", key));

        assertTrue(replies.stream().allMatch(r -> r.status() == 201), replies::toString);
        assertEquals(4, replies.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count());
        assertEquals(1, replies.stream().map(r -> r.json().get("transactionId").asText()).distinct().count(),
                "every retry answers with the first answer");
        assertEquals(3, LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), id).size(),
                "opened, the first deposit, the second deposit");

        Http.Reply otherBody = http.post(url(id, "deposits"), "{\"amount\":\"6.00\"}", "Idempotency-Key", key);
        assertEquals(422, otherBody.status(), otherBody::toString);
        assertEquals("idempotency-key-reused", otherBody.json().get("code").asText());
    }

    @Test
    void if_match_protects_against_a_lost_update_and_etag_tells_the_version() {
        String id = openWith("10.00");

        Http.Reply stale = http.post(url(id, "withdrawals"), "{\"amount\":\"1.00\"}", "If-Match", "\"1\"");
        assertEquals(412, stale.status(), stale::toString);
        assertEquals("version-mismatch", stale.json().get("code").asText());

        Http.Reply current = http.post(url(id, "withdrawals"), "{\"amount\":\"1.00\"}", "If-Match", "\"2\"");
        assertEquals(201, current.status(), current::toString);
        assertEquals("\"3\"", current.header("ETag"));
    }

    @Test
    void freeze_blocks_withdrawals_but_not_deposits_and_close_needs_a_zero_balance() {
        String id = openWith("10.00");

        assertEquals("FROZEN", http.post(url(id, "freeze"), "{\"reason\":\"audit\"}").json().get("status").asText());
        assertEquals("account-frozen", http.post(url(id, "withdrawals"), "{\"amount\":\"1.00\"}").json().get("code").asText());
        assertEquals(201, http.post(url(id, "deposits"), "{\"amount\":\"1.00\"}").status());
        assertEquals("OPEN", http.post(url(id, "unfreeze"), "{}").json().get("status").asText());
        Http.Reply notEmpty = http.post(url(id, "close"), "{}");
        assertEquals(422, notEmpty.status());
        assertEquals("balance-not-zero", notEmpty.json().get("code").asText());
        assertEquals(201, http.post(url(id, "withdrawals"), "{\"amount\":\"11.00\"}").status());
        assertEquals("CLOSED", http.post(url(id, "close"), "{}").json().get("status").asText());
        assertEquals("account-closed", http.post(url(id, "deposits"), "{\"amount\":\"1.00\"}").json().get("code").asText());
    }

    @Test
    void a_transfer_completes_within_the_wait_and_a_refused_one_is_refunded() {
        String alice = openWith("50.00");
        String bob = openWith("0.01");
        String euro = open("EUR");

        Http.Reply done = http.post(stack.commandUrl() + "/transfers", """
                {"fromAccountId":"%s","toAccountId":"%s","amount":"20.00","reference":"rent"}""".formatted(alice, bob));
        assertEquals(201, done.status(), done::toString);
        assertEquals("COMPLETED", done.json().get("status").asText());
        assertTrue(done.header("Location").startsWith("/transfers/"));

        Http.Reply otherCurrency = http.post(stack.commandUrl() + "/transfers", """
                {"fromAccountId":"%s","toAccountId":"%s","amount":"5.00"}""".formatted(alice, euro));
        assertEquals(422, otherCurrency.status(), otherCurrency::toString);
        assertEquals("currency-mismatch", otherCurrency.json().get("code").asText());

        Http.Reply refunded = http.post(stack.commandUrl() + "/transfers", """
                {"fromAccountId":"%s","toAccountId":"nobody-%s","amount":"5.00"}""".formatted(alice, euro));
        assertEquals(422, refunded.status(), refunded::toString);
        assertEquals("account-not-found", refunded.json().get("code").asText());
        assertEquals("REFUNDED", refunded.json().get("transfer").get("status").asText());

        Http.Reply poor = http.post(stack.commandUrl() + "/transfers", """
                {"fromAccountId":"%s","toAccountId":"%s","amount":"500.00"}""".formatted(alice, bob));
        assertEquals(422, poor.status());
        assertEquals("insufficient-funds", poor.json().get("code").asText());

        Http.Reply aliceNow = http.get(stack.queryUrl() + "/accounts/" + alice, "Consistency-Token",
                refunded.header("Consistency-Token"));
        assertEquals("30.00", aliceNow.json().get("balance").asText(), aliceNow::toString);
    }

    private String openWith(String amount) {
        String id = open("USD");
        Http.Reply deposit = http.post(url(id, "deposits"), "{\"amount\":\"" + amount + "\"}");
        assertEquals(201, deposit.status(), deposit::toString);
        return id;
    }

    private String open(String currency) {
        String id = "acc-" + UUID.randomUUID();
        Http.Reply opened = http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"" + id + "\",\"owner\":\"someone\",\"currency\":\"" + currency + "\"}");
        assertEquals(201, opened.status(), opened::toString);
        return id;
    }

    private String url(String id, String action) {
        return stack.commandUrl() + "/accounts/" + id + "/" + action;
    }

    interface Call {
        Http.Reply call(int index);
    }

    static List<Http.Reply> concurrently(int count, Call call) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            List<Future<Http.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> call.call(index)));
            }
            List<Http.Reply> replies = new ArrayList<>();
            for (Future<Http.Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        }
    }
}
