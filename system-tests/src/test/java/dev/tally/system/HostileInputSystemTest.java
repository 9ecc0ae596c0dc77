package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.events.FundsHeld;
import dev.tally.stack.LocalStack;
import dev.tally.stack.auth.LocalKeys;
import dev.tally.stack.auth.LocalTokens;
import dev.tally.system.HostileRequests.Account;
import dev.tally.system.HostileRequests.Case;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, section 6: ten thousand generated hostile requests against all three services, from a
 * seed (printed, and {@code -Dtally.hostile.seed=…} replays it; {@code -Dtally.hostile.requests=…}
 * changes the count). Each is a valid request with one thing made wrong: malformed JSON, wrong
 * types, unknown fields, duplicate keys, bad amounts, control characters, bad ids in bodies, paths
 * and queries, wrong methods, content types and Accept, oversized bodies, URIs and headers, bad and
 * forged tokens, another owner's token, bad command and consistency headers, reused ids; and hold
 * commands (hostile reference, metadata, holdId, amount and expiresIn in placements, hostile capture
 * amounts, release reasons and hold ids in paths, aimed at an open hold every target has).
 *
 * <p>Passes when no answer is a 5xx (but the documented 503 {@code projection-lagging} for a token
 * not reached), every error is {@code application/problem+json} with a {@code code} (and
 * {@code errors} for {@code validation}), what API.md refuses is refused with the status it names,
 * replays say so, odd text a hold placement was allowed to carry is on the log and in the read model
 * exactly as sent, and the log, balances and holds of the accounts aimed at are as they were. Failures are
 * reported as classes (kind, family, endpoint) with a count and one example each.
 */
class HostileInputSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() { };
    private static final int THREADS = 16;
    /** The open hold every target has, which hostile captures and releases aim at. */
    private static final String OPEN_HOLD = "hx-open";

    private final LocalStack stack = SharedStack.get();
    private final Http staff = new Http();

    @Test
    void ten_thousand_hostile_requests_get_no_5xx_only_problems_and_change_nothing() throws Exception {
        long seed = Long.getLong("tally.hostile.seed", new java.security.SecureRandom().nextLong());
        int count = Integer.getInteger("tally.hostile.requests", 10_000);
        String reproduce = "seed " + seed + " (replay with -Dtally.hostile.seed=" + seed + ")";
        System.out.println("HostileInputSystemTest: " + count + " requests, " + reproduce);
        String run = UUID.randomUUID().toString().substring(0, 8);

        HostileRequests.World world = setUp(run);
        Map<String, List<String>> logBefore = eventIds(world.targets());
        Map<String, JsonNode> viewsBefore = views(world.targets());

        List<Case> cases = new HostileRequests(seed, world).generate(count);
        long started = System.nanoTime();
        Findings findings = new Findings();
        AtomicInteger fiveHundreds = new AtomicInteger();
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<Case> oddHoldsAccepted = new CopyOnWriteArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> done = new ArrayList<>();
            for (Case c : cases) {
                done.add(pool.submit(() -> {
                    RawHttp.Response response = RawHttp.send(c.port(), c.request());
                    statuses.computeIfAbsent(c.endpoint().substring(0, c.endpoint().indexOf(' ', c.endpoint().indexOf(' ') + 1))
                            + " " + response.status(), k -> new AtomicInteger()).incrementAndGet();
                    if (response.status() >= 500) {
                        fiveHundreds.incrementAndGet();
                    }
                    if (c.family().equals(HostileRequests.ODD_TEXT_HOLD) && response.status() == 201) {
                        oddHoldsAccepted.add(c);
                    }
                    for (String kind : check(c, response)) {
                        findings.add(kind + "  ←  " + c.family() + "  ·  " + c.endpoint(), c, response);
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        System.out.printf("HostileInputSystemTest: %d requests in %.1f s; answers by service and status: %s%n", count,
                (System.nanoTime() - started) / 1e9, new TreeMap<>(statuses));

        probeConsistencyTokens(world, run, findings);
        checkStoredExactly(oddHoldsAccepted, findings);
        System.out.println("HostileInputSystemTest: " + oddHoldsAccepted.size() + " holds with odd text accepted, checked on the "
                + "log and in the read model");
        checkNothingChanged(world.targets(), logBefore, viewsBefore, findings);

        String report = findings.report();
        System.out.println(report);
        assertTrue(findings.isEmpty(), () -> "Hostile input, " + reproduce + ": " + findings.size() + " failure classes, "
                + fiveHundreds.get() + " answers were 5xx\n" + report);
    }

    // ---- what each answer must look like ----------------------------------------------------

    static List<String> check(Case c, RawHttp.Response response) {
        List<String> kinds = new ArrayList<>();
        int status = response.status();
        if (status < 0) {
            kinds.add("no answer (" + response.failure().replaceAll(":.*", "") + ")");
            return kinds;
        }
        String code = null;
        if (status >= 400) {
            String type = response.header("Content-Type");
            JsonNode problem = parse(response.body());
            code = problem != null && problem.path("code").isTextual() ? problem.get("code").asText() : null;
            if (type == null || !type.startsWith("application/problem+json")) {
                kinds.add(status + " not application/problem+json (Content-Type " + type + (code == null ? ", no code" : "") + ")");
            } else if (code == null || code.isBlank()) {
                kinds.add(status + " problem without a code");
            } else if (code.equals("validation") && !problem.path("errors").isArray()) {
                kinds.add(status + " validation without an errors list");
            }
            if (problem != null && problem.has("status") && problem.get("status").asInt() != status) {
                kinds.add(status + " problem whose status says " + problem.get("status"));
            }
            if (response.body().contains("Exception") || response.body().contains("\tat ")) {
                kinds.add(status + " stack trace in the body");
            }
        }
        boolean documentedLag = c.lagAllowed() && status == 503 && "projection-lagging".equals(code);
        if (status >= 500 && !documentedLag) {
            kinds.add("5xx: " + status + (code == null ? "" : " " + code));
        } else if (status < 400 && c.mustRefuse()) {
            kinds.add("accepted (" + status + ") what API.md refuses");
        } else if (!c.expected().isEmpty() && !c.expected().contains(status) && status != 429 && status < 500
                && !(status < 400 && !c.mustRefuse() && !c.replay())) {
            kinds.add(status + (code == null ? "" : " " + code) + " where API.md says " + c.expected());
        }
        if (c.replay() && status < 300 && !"true".equals(response.header("Idempotent-Replayed"))) {
            kinds.add(status + " replay without Idempotent-Replayed: true");
        }
        return kinds;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Failure classes: one count and the first example (lowest request index) per class. */
    static final class Findings {

        private record Example(Case c, RawHttp.Response response) {
        }

        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final Map<String, Example> examples = new ConcurrentHashMap<>();

        void add(String kind, Case c, RawHttp.Response response) {
            counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            examples.merge(kind, new Example(c, response), (a, b) -> a.c() == null || (b.c() != null && b.c().index() < a.c().index()) ? b : a);
        }

        void add(String kind, String detail) {
            counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            examples.merge(kind, new Example(null, new RawHttp.Response(0, Map.of(), detail, null)),
                    (a, b) -> new Example(null, new RawHttp.Response(0, Map.of(), a.response().body() + "\n         " + detail, null)));
        }

        boolean isEmpty() {
            return counts.isEmpty();
        }

        int size() {
            return counts.size();
        }

        String report() {
            if (counts.isEmpty()) {
                return "HostileInputSystemTest: no failures";
            }
            StringBuilder out = new StringBuilder("HostileInputSystemTest: " + counts.size() + " failure classes\n");
            // First the gist: kind and family, over all endpoints; then each class with an example.
            Map<String, int[]> gist = new TreeMap<>();
            counts.forEach((kind, count) -> {
                int[] sum = gist.computeIfAbsent(kind.replaceAll("  ·  .*", ""), k -> new int[2]);
                sum[0] += count.get();
                sum[1]++;
            });
            gist.forEach((kind, sum) -> out.append(String.format("%6d × %s (%d endpoint%s)%n", sum[0], kind, sum[1], sum[1] == 1 ? "" : "s")));
            out.append("In detail:\n");
            counts.entrySet().stream().sorted((a, b) -> b.getValue().get() - a.getValue().get() != 0
                    ? b.getValue().get() - a.getValue().get() : a.getKey().compareTo(b.getKey())).forEach(entry -> {
                        Example example = examples.get(entry.getKey());
                        out.append(String.format("%6d × %s%n", entry.getValue().get(), entry.getKey()));
                        if (example.c() == null) {
                            out.append("         ").append(example.response().body()).append('\n');
                            return;
                        }
                        RawHttp.Request request = example.c().request();
                        String body = request.body() == null ? "" : " " + HostileRequests.show(new String(request.body(), StandardCharsets.UTF_8));
                        out.append("         e.g. #").append(example.c().index()).append(" [").append(example.c().variant()).append("] ")
                                .append(request.method()).append(' ').append(abbreviate(request.target(), 100)).append(body).append('\n');
                        RawHttp.Response response = example.response();
                        out.append("         → ").append(response.status() < 0 ? response.failure()
                                : response.status() + " " + response.header("Content-Type") + " "
                                + HostileRequests.show(abbreviate(response.body().replaceAll("\\s+", " "), 200))).append('\n');
                    });
            return out.toString();
        }

        private static String abbreviate(String text, int max) {
            return text.length() <= max ? text : text.substring(0, max) + "… (" + text.length() + " chars)";
        }
    }

    // ---- the accounts aimed at, and what must not have changed ------------------------------

    private HostileRequests.World setUp(String run) throws Exception {
        String ownerA = "hx-" + run + "-owner-a";
        String ownerB = "hx-" + run + "-owner-b";
        List<Account> targets = List.of(
                target(run + "-usd1", "USD", ownerA, null, "1000.00", "1.00", List.of("1e2", "1E2", "1.0e1", "1.000", "0.001",
                        "00005.00", "005", "-1.00", "-0.01", "0", "0.00", "0.0", "-0", "10000000000000.01", "10000000000001",
                        "99999999999999999999", "1.0.0", "1,00", "", "NaN", "Infinity", "-Infinity", "0x10", "١٢", "１", "1_000",
                        "1.00\u0000", "1.00\n", "1 00", "$1.00", "1.00 USD", "9223372036854775807", "92233720368547758.08", "1e-2",
                        "0e0", ".", "-", "+", "e5")),
                target(run + "-usd2", "USD", ownerB, "100.00", "50.00", "1.00", List.of("1.001", "2e1", "-5.00", "0.00", "001.00",
                        "10000000000000.01", "1.00e0")),
                target(run + "-jpy", "JPY", ownerA, null, "10000", "100", List.of("100.0", "1.5", "0.0", "100.00", "1e3", "00100",
                        "-100", "0", "1000000000000001")),
                target(run + "-credits", "CREDITS", ownerA, null, "500", "5", List.of("5.0", "0.5", "05", "5e0", "-5", "0",
                        "1000000000000001", "5.00")),
                target(run + "-bhd", "BHD", ownerB, null, "12.345", "1.000", List.of("1.0000", "0.0001", "001.000", "-1.000",
                        "1000000000000.001", "0.000")),
                target(run + "-frozen", "USD", ownerB, null, "10.00", "1.00", List.of("1.001", "-1.00", "00001.00", "0")));
        assertEquals(200, staff.post(stack.commandUrl() + "/accounts/" + targets.get(5).id() + "/freeze",
                "{\"reason\":\"hostile input test\"}").status());
        String sinkOwner = "hx-" + run + "-sink-owner";
        List<Account> sinks = List.of(
                target(run + "-sink-usd1", "USD", sinkOwner, null, "1000000.00", "1.00", List.of()),
                target(run + "-sink-usd2", "USD", sinkOwner, null, "1000000.00", "0.01", List.of()),
                target(run + "-sink-jpy", "JPY", sinkOwner, null, "1000000", "1", List.of()),
                target(run + "-sink-credits", "CREDITS", sinkOwner, null, "1000000", "1", List.of()));

        // A transfer and an idempotent deposit that the hostile requests will try to replay and reuse.
        String transferId = "hx-" + run + "-tx";
        String transferBody = "{\"transferId\":\"" + transferId + "\",\"fromAccountId\":\"" + targets.get(0).id()
                + "\",\"toAccountId\":\"" + targets.get(1).id() + "\",\"amount\":\"1.00\"}";
        Http.Reply transfer = staff.post(stack.commandUrl() + "/transfers", transferBody);
        assertEquals(201, transfer.status(), transfer::toString);
        String key = "hx-" + run + "-key";
        String idempotentBody = "{\"amount\":\"5.00\"}";
        Http.Reply deposit = staff.post(stack.commandUrl() + "/accounts/" + targets.get(0).id() + "/deposits", idempotentBody,
                "Idempotency-Key", key);
        assertEquals(201, deposit.status(), deposit::toString);
        awaitSettled(targets.get(1).id(), transferId);

        LocalTokens tokens = stack.tokens();
        List<String> staffTokens = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            // Many principals, so that the per-principal rate limit does not turn every command into a 429.
            staffTokens.add("Bearer " + tokens.mint("hx-" + run + "-staff-" + i, List.of("teller", "auditor", "admin")));
        }
        return new HostileRequests.World(stack.settings().commandPort(), stack.settings().queryPort(),
                stack.settings().projectionPort(), targets, sinks, sinkOwner, staffTokens, badTokens(tokens),
                tokens.mint("hx-" + run + "-nobody", List.of("visitor")), tokens.mint("hx-" + run + "-auditor", List.of("auditor")),
                tokens.mint("hx-" + run + "-teller", List.of("teller")), tokens.mint("hx-" + run + "-stranger", List.of("customer")),
                tokens.mint(sinkOwner, List.of("customer")), transferId, transferBody, key, idempotentBody,
                deposit.header("Consistency-Token"), OPEN_HOLD);
    }

    private Account target(String id, String currency, String owner, String overdraft, String deposit, String valid,
                           List<String> badAmounts) {
        String accountId = "hx-" + id;
        Http.Reply opened = staff.post(stack.commandUrl() + "/accounts", "{\"accountId\":\"" + accountId + "\",\"owner\":\"" + owner
                + "\",\"currency\":\"" + currency + "\"" + (overdraft == null ? "" : ",\"overdraftLimit\":\"" + overdraft + "\"") + "}");
        assertEquals(201, opened.status(), opened::toString);
        Http.Reply deposited = staff.post(stack.commandUrl() + "/accounts/" + accountId + "/deposits", "{\"amount\":\"" + deposit + "\"}");
        assertEquals(201, deposited.status(), deposited::toString);
        Account account = new Account(accountId, currency, owner, valid, badAmounts);
        if (!badAmounts.isEmpty()) { // a target: an open hold for hostile captures and releases to aim at
            Http.Reply held = staff.post(stack.commandUrl() + "/accounts/" + accountId + "/holds",
                    HostileRequests.openHoldBody(OPEN_HOLD, account));
            assertEquals(201, held.status(), held::toString);
        }
        return account;
    }

    private static Map<String, String> badTokens(LocalTokens local) throws Exception {
        Path elsewhere = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "hostile-key-");
        String valid = local.mint("mallory", List.of("teller"));
        String[] parts = valid.split("\\.");
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("no Authorization header", null);
        bad.put("Basic credentials", "Basic bWFsbG9yeTpzZWNyZXQ=");
        bad.put("Bearer and nothing", "Bearer");
        bad.put("not a JWT", "Bearer not.a.jwt");
        bad.put("empty segments", "Bearer ..");
        bad.put("6 kB of garbage", "Bearer " + "A".repeat(6000));
        bad.put("JSON instead of a token", "Bearer {\"sub\":\"admin\",\"groups\":[\"admin\"]}");
        bad.put("expired", "Bearer " + local.mint("mallory", List.of("teller"), Instant.now().minus(Duration.ofHours(3)),
                Duration.ofHours(1), LocalKeys.ISSUER));
        bad.put("another issuer", "Bearer " + local.mint("mallory", List.of("teller"), Instant.now(), Duration.ofHours(1),
                "https://evil.example"));
        bad.put("signed with another key", "Bearer " + new LocalTokens(LocalKeys.ensure(elsewhere)).mint("mallory", List.of("teller")));
        bad.put("alg=none", "Bearer " + url.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".");
        bad.put("claims changed after signing", "Bearer " + parts[0] + "." + url.encodeToString(claims
                .replace("\"groups\":[\"teller\"]", "\"groups\":[\"admin\",\"teller\"]").getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
        bad.put("signature cut short", "Bearer " + valid.substring(0, valid.length() - 12));
        // The classic algorithm confusion: HS256 keyed with the verifier's public key.
        String hsHeader = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Files.readAllBytes(SharedStack.get().keys().publicKeyFile()), "HmacSHA256"));
        String signingInput = hsHeader + "." + parts[1];
        bad.put("HS256 keyed with the public key", "Bearer " + signingInput + "."
                + url.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII))));
        return bad;
    }

    private void awaitSettled(String toAccount, String transferId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), toAccount).stream()
                .noneMatch(e -> e instanceof dev.tally.events.TransferCredited c && c.getTransferId().equals(transferId))) {
            assertTrue(System.nanoTime() < deadline, "the set-up transfer never reached " + toAccount);
            Thread.sleep(200);
        }
    }

    private Map<String, List<String>> eventIds(List<Account> accounts) {
        List<SpecificRecord> log = LedgerLog.readAll(stack.bootstrapServers());
        Map<String, List<String>> ids = new LinkedHashMap<>();
        for (Account account : accounts) {
            ids.put(account.id(), LedgerLog.of(log, account.id()).stream()
                    .map(e -> LedgerLog.meta(e).getSequence() + " " + e.getClass().getSimpleName() + " " + LedgerLog.meta(e).getEventId())
                    .toList());
        }
        return ids;
    }

    /** Each account's view once the read model holds every event of its log. */
    private Map<String, JsonNode> views(List<Account> accounts) throws InterruptedException {
        Map<String, List<String>> log = eventIds(accounts);
        Map<String, JsonNode> views = new LinkedHashMap<>();
        for (Account account : accounts) {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            JsonNode view;
            do {
                view = staff.get(stack.queryUrl() + "/accounts/" + account.id()).json();
                if (view.path("version").asInt() == log.get(account.id()).size() || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(200);
            } while (true);
            views.put(account.id(), view);
        }
        return views;
    }

    private void checkNothingChanged(List<Account> targets, Map<String, List<String>> logBefore, Map<String, JsonNode> viewsBefore,
                                     Findings findings) throws InterruptedException {
        // Let sagas started by anything wrongly accepted finish, so that their steps are in the log too.
        Map<String, List<String>> logAfter = eventIds(targets);
        for (int i = 0; i < 10; i++) {
            Thread.sleep(1_000);
            Map<String, List<String>> again = eventIds(targets);
            if (again.equals(logAfter)) {
                break;
            }
            logAfter = again;
        }
        Map<String, JsonNode> viewsAfter = views(targets);
        for (Account target : targets) {
            List<String> before = logBefore.get(target.id());
            List<String> after = logAfter.get(target.id());
            if (!after.equals(before)) {
                List<String> appended = new ArrayList<>(after);
                appended.removeAll(before);
                Map<String, Integer> types = new TreeMap<>();
                appended.forEach(e -> types.merge(e.split(" ")[1], 1, Integer::sum));
                findings.add("ledger changed: events appended for a target account", target.id() + " (" + target.currency() + "): "
                        + appended.size() + " events appended " + types + (before.size() == after.size() - appended.size()
                        ? "" : ", and earlier events differ"));
            }
            for (String field : List.of("balance", "held", "available", "version", "status")) {
                JsonNode was = viewsBefore.get(target.id()).get(field);
                JsonNode is = viewsAfter.get(target.id()).get(field);
                if (was == null || !was.equals(is)) {
                    findings.add("read model changed: a target account's " + field + " moved",
                            target.id() + ": " + field + " was " + was + ", is " + is);
                }
            }
        }
    }

    /**
     * Odd but valid text that a hold placement was allowed to carry (a 201) is on the log and in the
     * read model exactly as it was sent: reference and metadata, character for character.
     */
    private void checkStoredExactly(List<Case> accepted, Findings findings) throws InterruptedException {
        Map<String, FundsHeld> onTheLog = new HashMap<>();
        for (SpecificRecord event : LedgerLog.readAllRevealed(stack)) {
            if (event instanceof FundsHeld held) {
                onTheLog.put(held.getMeta().getAccountId() + " " + held.getHoldId(), held);
            }
        }
        Map<String, List<Case>> byAccount = new TreeMap<>();
        accepted.forEach(c -> byAccount.computeIfAbsent(c.request().target().split("/")[2], k -> new ArrayList<>()).add(c));
        for (Map.Entry<String, List<Case>> account : byAccount.entrySet()) {
            Map<String, JsonNode> read = holdViews(account.getKey(), account.getValue().size());
            for (Case c : account.getValue()) {
                JsonNode sent = parse(new String(c.request().body(), StandardCharsets.UTF_8));
                String holdId = sent.get("holdId").asText();
                String reference = sent.hasNonNull("reference") ? sent.get("reference").asText() : null;
                Map<String, String> metadata = sent.has("metadata") ? JSON.convertValue(sent.get("metadata"), STRINGS) : Map.of();

                FundsHeld event = onTheLog.get(account.getKey() + " " + holdId);
                if (event == null) {
                    findings.add("odd text: an accepted hold is not on the log", c, stored("no FundsHeld " + holdId));
                } else if (!Objects.equals(reference, event.getReference()) || !metadata.equals(event.getMetadata())) {
                    findings.add("odd text: the log holds other text than was sent", c,
                            stored("on the log: reference " + event.getReference() + ", metadata " + event.getMetadata()));
                }
                JsonNode view = read.get(holdId);
                if (view == null) {
                    findings.add("odd text: an accepted hold is not in the read model", c, stored("no hold " + holdId));
                } else if (!Objects.equals(reference, view.hasNonNull("reference") ? view.get("reference").asText() : null)
                        || !metadata.equals(view.hasNonNull("metadata") ? JSON.convertValue(view.get("metadata"), STRINGS) : Map.of())) {
                    findings.add("odd text: the read model holds other text than was sent", c, stored("read: " + view));
                }
            }
        }
    }

    /** What was stored, shown in a finding's example in place of the answer. */
    private static RawHttp.Response stored(String what) {
        return new RawHttp.Response(201, Map.of(), what, null);
    }

    /** The account's holds by hold id, once the read model has at least {@code expected} of them (or after 15 s). */
    private Map<String, JsonNode> holdViews(String accountId, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            Map<String, JsonNode> byId = new HashMap<>();
            String after = null;
            do {
                JsonNode page = staff.get(stack.queryUrl() + "/accounts/" + accountId + "/holds?limit=500"
                        + (after == null ? "" : "&after=" + after)).json();
                page.path("items").forEach(item -> byId.put(item.get("holdId").asText(), item));
                after = page.path("next").isTextual() ? page.get("next").asText() : null;
            } while (after != null);
            if (byId.size() >= expected || System.nanoTime() > deadline) {
                return byId;
            }
            Thread.sleep(200);
        }
    }

    /**
     * API.md: a token tells a caller nothing about accounts it may not see. A customer reading its
     * own account with a token naming someone else's account must get the same answer as with one
     * naming an account that does not exist.
     */
    private void probeConsistencyTokens(HostileRequests.World world, String run, Findings findings) {
        Http customer = Http.as(world.sinkOwner(), "customer");
        String own = stack.queryUrl() + "/accounts/" + world.sinks().get(0).id();
        Account other = world.targets().get(0);
        String missing = "hx-" + run + "-missing";
        int otherVersion = eventIds(List.of(other)).get(other.id()).size();
        for (long version : List.of((long) otherVersion, 1L, 1_000_000L)) {
            Http.Reply aboutOther = customer.get(own, "Consistency-Token", token(other.id() + "@" + version), "Consistency-Wait", "300");
            Http.Reply aboutMissing = customer.get(own, "Consistency-Token", token(missing + "@" + version), "Consistency-Wait", "300");
            if (aboutOther.status() != aboutMissing.status()) {
                findings.add("consistency token tells a customer about another owner's account",
                        "GET " + own.replace(stack.queryUrl(), ":8082") + " as its owner, Consistency-Token naming another owner's "
                                + "account @" + version + " → " + aboutOther.status() + ", naming a missing account → "
                                + aboutMissing.status());
            }
        }
    }

    private static String token(String plain) {
        return "v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
