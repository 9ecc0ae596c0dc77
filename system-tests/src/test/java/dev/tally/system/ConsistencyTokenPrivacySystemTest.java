package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tally.schemas.ConsistencyToken;
import dev.tally.stack.LocalStack;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A {@code Consistency-Token} is plain base64 that anyone can write. A customer who writes one naming
 * another owner's account must learn nothing from the answer: it is the same as for a token naming
 * an account that does not exist (the wait runs its course, 503 {@code projection-lagging}), on
 * every read. A customer's own tokens keep working, also when they name someone else's account
 * next to its own (a transfer's token names both ends).
 */
class ConsistencyTokenPrivacySystemTest {

    private static final String WAIT_MS = "300";

    private final LocalStack stack = SharedStack.get();
    private final Http staff = new Http();

    @Test
    void a_token_naming_another_owners_account_answers_like_one_naming_a_missing_account() {
        String victim = open("victim-" + suffix(), "victim-" + suffix());
        deposit(victim);
        String missing = "missing-" + suffix();
        String mallory = "mallory-" + suffix();
        Http customer = Http.as(mallory, "customer");

        Map<String, String> reads = new LinkedHashMap<>();
        reads.put("account", "/accounts/%s");
        reads.put("account as of", "/accounts/%s?asOf=2100-01-01T00:00:00Z");
        reads.put("balance", "/accounts/%s/balance");
        reads.put("entries", "/accounts/%s/entries");
        reads.put("daily", "/accounts/%s/daily?from=2026-01-01&to=2026-01-02");
        reads.put("own accounts", "/accounts");
        reads.put("transfer", "/transfers/t-" + suffix());
        for (Map.Entry<String, String> read : reads.entrySet()) {
            // Every projection has the victim's deposit: what the customer learns is not a matter of lag.
            Http.Reply caughtUp = staff.get(stack.queryUrl() + read.getValue().formatted(victim),
                    "Consistency-Token", ConsistencyToken.of(victim, 2).encode());
            assertNotEquals(503, caughtUp.status(), () -> read.getKey() + " for staff: " + caughtUp);
            for (long version : new long[] {1, 2}) {
                Http.Reply aboutVictim = customer.get(stack.queryUrl() + read.getValue().formatted(victim),
                        "Consistency-Token", ConsistencyToken.of(victim, version).encode(), "Consistency-Wait", WAIT_MS);
                Http.Reply aboutNobody = customer.get(stack.queryUrl() + read.getValue().formatted(missing),
                        "Consistency-Token", ConsistencyToken.of(missing, version).encode(), "Consistency-Wait", WAIT_MS);
                String why = read.getKey() + " with a token at version " + version;
                assertEquals(503, aboutNobody.status(), () -> why + ", missing account: " + aboutNobody);
                assertEquals(same(aboutNobody), same(aboutVictim), () -> why + ": another owner's account answers "
                        + aboutVictim + " where a missing one answers " + aboutNobody);
            }
        }
    }

    @Test
    void a_customers_own_token_still_waits_for_its_write_also_when_it_names_another_owners_account() {
        String mallory = "mallory-" + suffix();
        Http customer = Http.as(mallory, "customer");
        String own = open("own-" + suffix(), mallory);
        String victim = open("victim-" + suffix(), "victim-" + suffix());
        Http.Reply deposit = deposit(own);
        long version = Long.parseLong(deposit.json().get("version").asText());

        Http.Reply ownOnly = customer.get(stack.queryUrl() + "/accounts/" + own,
                "Consistency-Token", deposit.header("Consistency-Token"));
        assertEquals(200, ownOnly.status(), ownOnly::toString);
        assertEquals(version, ownOnly.json().get("version").asLong());

        for (String other : new String[] {victim, "missing-" + suffix()}) {
            String both = new ConsistencyToken(Map.of(own, version, other, 1L)).encode();
            Http.Reply reply = customer.get(stack.queryUrl() + "/accounts/" + own, "Consistency-Token", both);
            assertEquals(200, reply.status(), () -> "own account next to " + other + ": " + reply);
        }
        // Staff see every account, so a token naming any existing one is simply waited for.
        Http.Reply staffRead = staff.get(stack.queryUrl() + "/accounts/" + victim,
                "Consistency-Token", ConsistencyToken.of(victim, 1).encode());
        assertEquals(200, staffRead.status(), staffRead::toString);
    }

    /** What a client can tell two answers apart by: status, code and the hint to retry. */
    private static String same(Http.Reply reply) {
        String code = reply.body().contains("\"code\"") ? reply.json().path("code").asText() : "";
        return reply.status() + " " + code + " Retry-After=" + reply.header("Retry-After");
    }

    private String open(String id, String owner) {
        Http.Reply reply = staff.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"" + id + "\",\"owner\":\"" + owner + "\",\"currency\":\"USD\"}");
        assertEquals(201, reply.status(), reply::toString);
        return id;
    }

    private Http.Reply deposit(String id) {
        Http.Reply reply = staff.post(stack.commandUrl() + "/accounts/" + id + "/deposits", "{\"amount\":\"5.00\"}");
        assertEquals(201, reply.status(), reply::toString);
        return reply;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
