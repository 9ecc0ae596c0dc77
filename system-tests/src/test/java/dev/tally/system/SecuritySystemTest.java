package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.stack.LocalStack;
import dev.tally.stack.auth.LocalKeys;
import dev.tally.stack.auth.LocalTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Who may do what, against the real services with authentication on (the local stack's default):
 * a token that is not valid is 401 and changes nothing; a customer reaches only its own accounts;
 * each role is held to its part; fields a client must not set are refused; a principal that sends
 * too many commands is slowed down with 429.
 */
class SecuritySystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http staff = new Http();

    @Test
    void a_missing_expired_foreign_forged_or_unsigned_token_is_401_and_changes_nothing() throws Exception {
        String id = open("victim", "USD");
        deposit(staff, id, "10.00");
        LocalTokens local = stack.tokens();
        Path elsewhere = Files.createTempDirectory(Path.of("target"), "other-key-");
        LocalTokens otherKey = new LocalTokens(LocalKeys.ensure(elsewhere));
        String valid = local.mint("mallory", List.of("teller"));

        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("no Authorization header", null);
        invalid.put("not a bearer token", "Basic bWFsbG9yeTpzZWNyZXQ=");
        invalid.put("garbage", "Bearer not.a.jwt");
        invalid.put("expired", "Bearer " + local.mint("mallory", List.of("teller"),
                Instant.now().minus(Duration.ofHours(3)), Duration.ofHours(1), LocalKeys.ISSUER));
        invalid.put("wrong issuer", "Bearer " + local.mint("mallory", List.of("teller"), Instant.now(),
                Duration.ofHours(1), "https://evil.example"));
        invalid.put("signed with another key", "Bearer " + otherKey.mint("mallory", List.of("teller")));
        invalid.put("alg=none", "Bearer " + unsigned(valid));
        invalid.put("claims changed after signing", "Bearer " + withClaims(valid, "\"groups\":[\"teller\"]",
                "\"groups\":[\"admin\",\"teller\"]"));

        // The genuine token is used first, so each service's verified-token cache holds it while
        // its forgeries (same claims or same signature, other bytes) arrive.
        Http genuine = Http.withAuthorization("Bearer " + valid);
        assertEquals(200, genuine.get(stack.queryUrl() + "/accounts/" + id).status());
        assertProblem(400, "validation", genuine.post(stack.commandUrl() + "/accounts/" + id + "/withdrawals",
                "{\"amount\":\"-1.00\"}"), "the genuine token, a bad amount");
        int projections = genuine.get(stack.projectionUrl() + "/projections").status();
        assertTrue(projections == 200 || projections == 403, "the genuine token is authenticated: " + projections);
        for (Map.Entry<String, String> token : invalid.entrySet()) {
            Http caller = Http.withAuthorization(token.getValue());
            String why = token.getKey();
            assertProblem(401, "unauthorized", caller.post(stack.commandUrl() + "/accounts/" + id + "/withdrawals",
                    "{\"amount\":\"10.00\"}"), why);
            assertProblem(401, "unauthorized", caller.post(stack.commandUrl() + "/accounts",
                    "{\"owner\":\"mallory\",\"currency\":\"USD\"}"), why);
            assertProblem(401, "unauthorized", caller.get(stack.queryUrl() + "/accounts/" + id), why);
            assertProblem(401, "unauthorized", caller.get(stack.queryUrl() + "/audit"), why);
            assertProblem(401, "unauthorized", caller.post(stack.projectionUrl() + "/projections/accounts/rebuild", "{}"), why);
            Http.Reply reply = caller.get(stack.queryUrl() + "/accounts/" + id);
            assertNotNull(reply.header("WWW-Authenticate"), why + ": a 401 names the scheme it wants");
        }
        // Nothing of the above reached the ledger: one open, one deposit, nothing else.
        JsonNode account = staff.get(stack.queryUrl() + "/accounts/" + id).json();
        assertEquals("10.00", account.get("balance").asText());
        assertEquals(2, account.get("version").asInt());
        // Health and metrics stay open for probes and scrapers.
        assertEquals(200, Http.withAuthorization(null).get(stack.queryUrl() + "/q/health/ready").status());
    }

    @Test
    void a_customer_can_neither_see_nor_move_another_owners_accounts_whichever_id_it_tries() {
        String mallory = "mallory-" + suffix();
        Http customer = Http.as(mallory, "customer");
        Http.Reply own = customer.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"" + mallory + "-usd\",\"owner\":\"" + mallory + "\",\"currency\":\"USD\"}");
        assertEquals(201, own.status(), own::toString);
        String ownId = mallory + "-usd";
        assertEquals(201, customer.post(stack.commandUrl() + "/accounts/" + ownId + "/deposits",
                "{\"amount\":\"5.00\"}").status());

        List<String> others = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = open("owner" + i, "USD");
            deposit(staff, id, "10.00");
            others.add(id);
        }
        Http.Reply transferred = staff.post(stack.commandUrl() + "/transfers", """
                {"fromAccountId":"%s","toAccountId":"%s","amount":"1.00"}""".formatted(others.get(0), others.get(1)));
        readYourWrite(others.get(1), transferred);
        String transferOfOthers = transferred.json().get("transferId").asText();
        List<String> targets = new ArrayList<>(others);
        for (int i = 0; i < 12; i++) {
            targets.add("no-such-" + suffix()); // a stranger's account and a missing one must look the same
        }

        for (String id : targets) {
            String account = stack.queryUrl() + "/accounts/" + id;
            assertProblem(404, "account-not-found", customer.get(account), id);
            assertProblem(404, "account-not-found", customer.get(account + "?asOf=" + Instant.now()), id);
            assertProblem(404, "account-not-found", customer.get(account + "/balance"), id);
            assertProblem(404, "account-not-found", customer.get(account + "/entries"), id);
            assertProblem(404, "account-not-found", customer.get(account + "/daily?from=2026-01-01&to=2026-01-02"), id);
            String commands = stack.commandUrl() + "/accounts/" + id;
            assertProblem(404, "account-not-found", customer.post(commands + "/withdrawals", "{\"amount\":\"1.00\"}"), id);
            assertProblem(404, "account-not-found", customer.post(commands + "/deposits", "{\"amount\":\"1.00\"}"), id);
            assertProblem(404, "account-not-found", customer.post(commands + "/freeze", "{\"reason\":\"mine\"}"), id);
            assertProblem(404, "account-not-found", customer.post(commands + "/close", "{}"), id);
            Http.Reply transfer = customer.post(stack.commandUrl() + "/transfers", """
                    {"fromAccountId":"%s","toAccountId":"%s","amount":"1.00"}""".formatted(id, ownId));
            assertProblem(404, "account-not-found", transfer, id);
        }
        assertProblem(404, "transfer-not-found", customer.get(stack.queryUrl() + "/transfers/" + transferOfOthers), "transfer");
        assertProblem(403, "forbidden", customer.get(stack.queryUrl() + "/accounts?owner=" + others.get(0) + "-owner"), "list");
        assertProblem(403, "forbidden", customer.post(stack.commandUrl() + "/accounts",
                "{\"owner\":\"someone-else\",\"currency\":\"USD\"}"), "open for another owner");

        // Every other account is exactly as the teller left it.
        for (String id : others) {
            JsonNode account = staff.get(stack.queryUrl() + "/accounts/" + id).json();
            assertEquals(id.equals(others.get(0)) ? "9.00" : id.equals(others.get(1)) ? "11.00" : "10.00",
                    account.get("balance").asText(), id);
            assertEquals("OPEN", account.get("status").asText(), id);
        }
        // Its own account it reads and lists, and it may pay someone else from it.
        String token = customer.post(stack.commandUrl() + "/transfers", """
                {"fromAccountId":"%s","toAccountId":"%s","amount":"2.00"}""".formatted(ownId, others.get(2)))
                .header("Consistency-Token");
        Http.Reply mine = customer.get(stack.queryUrl() + "/accounts/" + ownId, "Consistency-Token", token);
        assertEquals(200, mine.status(), mine::toString);
        assertEquals("3.00", mine.json().get("balance").asText());
        JsonNode listed = customer.get(stack.queryUrl() + "/accounts").json().get("items");
        assertEquals(1, listed.size(), listed::toString);
        assertEquals(ownId, listed.get(0).get("accountId").asText());
        // The events name the customer as their actor.
        JsonNode audit = staff.get(stack.queryUrl() + "/audit?accountId=" + ownId, "Consistency-Token", token)
                .json().get("items");
        assertTrue(audit.size() >= 3, audit::toString);
        for (JsonNode entry : audit) {
            assertEquals(mallory, entry.get("actor").asText(), entry::toString);
        }
    }

    @Test
    void each_role_is_held_to_its_part() {
        String id = open("roles", "USD");
        String owner = staff.get(stack.queryUrl() + "/accounts/" + id).json().get("owner").asText();
        Http auditor = Http.as("auditor-" + suffix(), "auditor");
        Http admin = Http.as("admin-" + suffix(), "admin");
        Http teller = Http.as("teller-" + suffix(), "teller");
        Http customer = Http.as(owner, "customer");
        Http nobody = Http.as("nobody-" + suffix(), "visitor");

        assertProblem(403, "forbidden", auditor.post(stack.commandUrl() + "/accounts/" + id + "/deposits",
                "{\"amount\":\"1.00\"}"), "auditors send no commands");
        assertProblem(403, "forbidden", admin.post(stack.commandUrl() + "/accounts/" + id + "/deposits",
                "{\"amount\":\"1.00\"}"), "admins send no commands");
        assertProblem(403, "forbidden", nobody.get(stack.queryUrl() + "/accounts/" + id), "no known role");
        assertProblem(403, "forbidden", customer.get(stack.queryUrl() + "/audit"), "customers do not audit");
        assertProblem(403, "forbidden", teller.get(stack.queryUrl() + "/audit"), "tellers do not audit");
        assertProblem(403, "forbidden", teller.post(stack.projectionUrl() + "/projections/accounts/rebuild", "{}"),
                "tellers do not rebuild");
        assertProblem(403, "forbidden", auditor.post(stack.projectionUrl() + "/projections/accounts/rebuild", "{}"),
                "auditors do not rebuild");
        assertProblem(403, "forbidden", teller.get(stack.projectionUrl() + "/dead-letters"), "tellers do not see dead letters");

        assertEquals(200, teller.post(stack.commandUrl() + "/accounts/" + id + "/freeze", "{\"reason\":\"fraud check\"}").status());
        assertProblem(403, "forbidden", customer.post(stack.commandUrl() + "/accounts/" + id + "/unfreeze", "{}"),
                "a customer cannot lift a freeze");
        assertEquals(200, teller.post(stack.commandUrl() + "/accounts/" + id + "/unfreeze", "{}").status());

        assertEquals(200, auditor.get(stack.queryUrl() + "/audit?accountId=" + id).status());
        assertEquals(200, auditor.get(stack.queryUrl() + "/accounts/" + id).status());
        assertEquals(200, admin.get(stack.projectionUrl() + "/projections").status());
        assertEquals(200, admin.get(stack.projectionUrl() + "/dead-letters").status());
        assertEquals(200, auditor.get(stack.projectionUrl() + "/reconciliation").status());
    }

    @Test
    void fields_a_client_must_not_set_are_refused_and_nothing_is_written() {
        String id = "forged-" + suffix();
        for (String forged : List.of("\"balance\":\"1000000.00\"", "\"status\":\"CLOSED\"", "\"version\":7",
                "\"actor\":\"ceo\"", "\"openedAt\":\"2020-01-01T00:00:00Z\"")) {
            Http.Reply reply = staff.post(stack.commandUrl() + "/accounts",
                    "{\"accountId\":\"" + id + "\",\"owner\":\"eve\",\"currency\":\"USD\"," + forged + "}");
            assertProblem(400, "validation", reply, forged);
            String field = forged.substring(1, forged.indexOf('"', 1));
            assertTrue(reply.json().get("errors").toString().contains(field), reply::toString);
        }
        assertProblem(404, "account-not-found", staff.get(stack.queryUrl() + "/accounts/" + id + "?asOf=" + Instant.now()),
                "no account was opened");
        String real = open("forged", "USD");
        assertProblem(400, "validation", staff.post(stack.commandUrl() + "/accounts/" + real + "/deposits",
                "{\"amount\":\"1.00\",\"balanceAfter\":\"999.00\"}"), "balanceAfter");
        assertEquals(1, staff.get(stack.queryUrl() + "/accounts/" + real).json().get("version").asInt());
    }

    @Test
    void a_principal_past_its_command_rate_gets_429_with_retry_after_and_only_accepted_commands_count() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(open("burst", "USD"));
        }
        String auth = Http.as("burst-" + suffix(), "teller").authorization();
        // All at once and without retrying: a client that ignores the limit.
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            replies.add(client.sendAsync(HttpRequest.newBuilder(URI.create(stack.commandUrl() + "/accounts/"
                            + ids.get(i % ids.size()) + "/deposits")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":\"1.00\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int accepted = 0;
        int limited = 0;
        for (CompletableFuture<HttpResponse<String>> future : replies) {
            HttpResponse<String> reply = future.get();
            if (reply.statusCode() == 201) {
                accepted++;
            } else {
                assertEquals(429, reply.statusCode(), reply::body);
                assertTrue(reply.body().contains("\"code\":\"rate-limited\""), reply::body);
                assertTrue(Integer.parseInt(reply.headers().firstValue("Retry-After").orElseThrow()) >= 1);
                limited++;
            }
        }
        assertTrue(limited > 0, "1000 commands at once are past a burst of 200");
        assertTrue(accepted >= 200, "the burst itself is allowed: " + accepted);
        // Someone else is not slowed down by burst's limit, and only accepted deposits were booked.
        long total = 0;
        for (String id : ids) {
            String token = deposit(staff, id, "1.00").header("Consistency-Token");
            JsonNode account = staff.get(stack.queryUrl() + "/accounts/" + id, "Consistency-Token", token).json();
            total += account.get("version").asLong() - 2; // less the open and the staff deposit
        }
        assertEquals(accepted, total, "exactly the accepted deposits are on the accounts");
    }

    private String open(String prefix, String currency) {
        String id = prefix + "-" + suffix();
        Http.Reply reply = staff.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"" + id + "\",\"owner\":\"" + id + "-owner\",\"currency\":\"" + currency + "\"}");
        assertEquals(201, reply.status(), reply::toString);
        readYourWrite(id, reply);
        return id;
    }

    private Http.Reply deposit(Http as, String id, String amount) {
        Http.Reply reply = as.post(stack.commandUrl() + "/accounts/" + id + "/deposits", "{\"amount\":\"" + amount + "\"}");
        assertEquals(201, reply.status(), reply::toString);
        readYourWrite(id, reply);
        return reply;
    }

    /**
     * Waits until the read side shows a command's effect (its Consistency-Token), so that the plain
     * reads that follow see it: without this a read could race the projection and fail for a reason
     * that has nothing to do with who may do what.
     */
    private void readYourWrite(String accountId, Http.Reply command) {
        String token = command.header("Consistency-Token");
        assertNotNull(token, command::toString);
        Http.Reply seen = staff.get(stack.queryUrl() + "/accounts/" + accountId, "Consistency-Token", token);
        assertEquals(200, seen.status(), seen::toString);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static void assertProblem(int status, String code, Http.Reply reply, String why) {
        assertEquals(status, reply.status(), () -> why + ": " + reply);
        assertEquals("application/problem+json", reply.header("Content-Type"), () -> why + ": " + reply);
        assertEquals(code, reply.json().get("code").asText(), () -> why + ": " + reply);
        assertFalse(reply.body().contains("Exception"), () -> why + ": no stack trace in " + reply);
    }

    /** The same claims with {@code alg: none} and no signature: the oldest JWT forgery there is. */
    private static String unsigned(String token) {
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + token.split("\\.")[1] + ".";
    }

    /** The token with its claims edited and the original signature kept. */
    private static String withClaims(String token, String from, String to) {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains(from), claims);
        String edited = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.replace(from, to).getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + edited + "." + parts[2];
    }
}
