package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferRefunded;
import dev.tally.stack.LocalStack;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;

/**
 * Jepsen's bank as a workload: many accounts, concurrent deposits, withdrawals, holds, one- and
 * two-phase transfers from clients that retry with their {@code Idempotency-Key}, transfer ids reused
 * on purpose (same body: a replay; another body: 409 {@code transfer-exists}), while a
 * {@link #nemesis()} breaks parts of the system. Then, from the log: money is conserved (balances +
 * in flight = deposits − withdrawals), no balance ever went below its overdraft limit (in the log, in
 * any answer, in any read), every acknowledged command is in the log exactly once and nothing is in
 * it twice, every refused one is absent, sequences are gapless, and the read models equal the log
 * and a replay of it.
 *
 * <p>A test says which stack (one instance of each service, or several) and which nemesis.
 */
abstract class BankWorkload {

    private static final int ACCOUNTS = 24;
    private static final int CLIENTS = 8;
    private static final long OPENING_MINOR = 50_000;

    private Http staff;

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final List<String> accounts = new ArrayList<>();
    private final Map<String, Long> overdraft = new HashMap<>();
    private final Map<String, Op> ops = new ConcurrentHashMap<>();
    private final List<Op> ackedTransfers = new CopyOnWriteArrayList<>();
    private final Findings findings = new Findings(getClass().getSimpleName());
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private final List<Long> ackTimes = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final long startedAt = System.nanoTime();

    /** The stack the workload runs against; its first instances answer the checks. */
    protected abstract LocalStack stack();

    /** What breaks while the clients run; returns when the clients should stop. */
    protected abstract void nemesis();

    /** Every projection-service instance: together they hold the partitions whose lag the checks wait out. */
    protected List<String> projectionUrls() {
        return List.of(stack().projectionUrl());
    }

    /** Where a command goes: the one command service, or the next of several (as a load balancer would). */
    protected String commandUrl() {
        return stack().commandUrl();
    }

    /** One logical command as the client saw it; {@code outcome} is ACKED, REFUSED (with a code) or UNKNOWN. */
    static final class Op {
        final String kind;
        final String reference;
        final String account;
        final String to;
        final long amountMinor;
        final String transferId;
        final String body;
        volatile String outcome = "UNKNOWN";
        volatile String code;

        Op(String kind, String reference, String account, String to, long amountMinor, String transferId, String body) {
            this.kind = kind;
            this.reference = reference;
            this.account = account;
            this.to = to;
            this.amountMinor = amountMinor;
            this.transferId = transferId;
            this.body = body;
        }
    }

    /** Runs the clients beside the nemesis, then checks the log and the read models. */
    protected final void runBank() throws Exception {
        staff = Http.staffOf(stack());
        openAccounts();

        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Http http = Http.staffOf(stack(), "bank-teller-" + c);
            Random random = new Random(31L * c + run.hashCode());
            work.add(clients.submit(() -> {
                int n = 0;
                while (running.get()) {
                    clientStep(http, random, Thread.currentThread().getName() + "-" + n++);
                }
                return null;
            }));
        }
        work.add(clients.submit(() -> {
            while (running.get()) {
                readAndCheckLimits();
            }
            return null;
        }));

        nemesis();
        running.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(120, TimeUnit.SECONDS), "clients finished");
        for (Future<?> f : work) {
            f.get();
        }
        System.out.println(getClass().getSimpleName() + " timeline: " + timeline);
        System.out.println(getClass().getSimpleName() + " answers: " + new java.util.TreeMap<>(answers));
        System.out.println(getClass().getSimpleName() + " acknowledged commands per 5 s: " + acksPerWindow());
        System.out.println(getClass().getSimpleName() + " commands by kind and outcome: " + new java.util.TreeMap<>(ops.values().stream()
                .collect(java.util.stream.Collectors.groupingBy(o -> o.kind + " " + o.outcome,
                        java.util.stream.Collectors.counting()))));
        long acked = ops.values().stream().filter(o -> o.outcome.equals("ACKED")).count();
        System.out.println(getClass().getSimpleName() + ": " + ops.size() + " logical commands, " + acked + " acknowledged, "
                + ops.values().stream().filter(o -> o.outcome.equals("UNKNOWN")).count() + " unknown");
        assertTrue(acked > 200, "the workload moved enough money to mean something: " + acked);

        List<SpecificRecord> log = settledLog();
        checkLog(log);
        checkReadModels(log);

        System.out.println(findings.report());
        assertTrue(findings.isEmpty(), findings::report);
    }

    // ---- the workload ------------------------------------------------------------------------

    private void openAccounts() {
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = "bank-" + run + "-" + i;
            long limit = i % 3 == 0 ? 5_000 : 0;
            Http.Reply opened = staff.post(commandUrl() + "/accounts", "{\"accountId\":\"" + id + "\",\"owner\":\"bank-owner-"
                    + (i % 4) + "\",\"currency\":\"USD\"" + (limit > 0 ? ",\"overdraftLimit\":\"" + money(limit) + "\"" : "") + "}");
            assertEquals(201, opened.status(), opened::toString);
            accounts.add(id);
            overdraft.put(id, limit);
            Op deposit = movement("deposit", "open-" + i, id, OPENING_MINOR);
            assertEquals("ACKED", execute(staff, deposit, "/accounts/" + id + "/deposits"), () -> "opening deposit: " + deposit.code);
        }
    }

    private void clientStep(Http http, Random random, String name) {
        String from = accounts.get(random.nextInt(ACCOUNTS));
        long amount = 100 + random.nextInt(8_000);
        int dice = random.nextInt(100);
        String ref = run + "-" + name;
        if (dice < 22) {
            Op op = movement("deposit", ref, from, amount);
            if (execute(http, op, "/accounts/" + from + "/deposits").equals("ACKED") && random.nextInt(6) == 0) {
                replayMovement(http, op, "/accounts/" + from + "/deposits");
            }
        } else if (dice < 34) {
            hold(http, random, ref, from, amount);
        } else if (dice < 56) {
            Op op = movement("withdrawal", ref, from, amount);
            if (execute(http, op, "/accounts/" + from + "/withdrawals").equals("ACKED") && random.nextInt(6) == 0) {
                replayMovement(http, op, "/accounts/" + from + "/withdrawals");
            }
        } else if (dice < 64) {
            String to = accounts.get(random.nextInt(ACCOUNTS));
            if (!to.equals(from)) {
                twoPhase(http, random, ref, from, to, amount);
            }
        } else if (dice < 88 || ackedTransfers.isEmpty()) {
            String to = accounts.get(random.nextInt(ACCOUNTS));
            if (to.equals(from)) {
                return;
            }
            String transferId = "bt-" + ref;
            Op op = new Op("transfer", ref, from, to, amount, transferId, "{\"transferId\":\"" + transferId + "\",\"fromAccountId\":\""
                    + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":\"" + money(amount) + "\",\"reference\":\"" + ref + "\"}");
            ops.put(ref, op);
            if (execute(http, op, "/transfers").equals("ACKED")) {
                ackedTransfers.add(op);
            }
        } else {
            reuseTransferId(http, random, ackedTransfers.get(random.nextInt(ackedTransfers.size())));
        }
    }

    /**
     * A hold (issue 14): placed, then captured or released by the same client; a third of them are
     * left to expire after two seconds. Each step retried like any command, with its own key.
     */
    private void hold(Http http, Random random, String ref, String account, long amount) {
        String holdId = "bh-" + ref;
        boolean expires = random.nextInt(3) == 0;
        Op placed = new Op("hold", ref, account, null, amount, holdId, "{\"holdId\":\"" + holdId + "\",\"amount\":\""
                + money(amount) + "\",\"reference\":\"" + ref + "\"" + (expires ? ",\"expiresIn\":\"PT2S\"" : "") + "}");
        ops.put(ref, placed);
        if (!execute(http, placed, "/accounts/" + account + "/holds").equals("ACKED") || expires) {
            return;
        }
        String ending = random.nextBoolean() ? "capture" : "release";
        Op end = new Op(ending, ref + "-" + ending, account, null, amount, holdId, "{}");
        ops.put(end.reference, end);
        execute(http, end, "/accounts/" + account + "/holds/" + holdId + "/" + ending);
    }

    /**
     * A two-phase transfer (issue 14): reserved, then posted (all or part) or voided by the same
     * client; a third of them are left to expire after two seconds. Each step retried like any
     * command: a post or void sent again answers the transfer as it stands.
     */
    private void twoPhase(Http http, Random random, String ref, String from, String to, long amount) {
        String transferId = "b2p-" + ref;
        boolean expires = random.nextInt(3) == 0;
        Op reserved = new Op("reserve", ref, from, to, amount, transferId, "{\"transferId\":\"" + transferId
                + "\",\"fromAccountId\":\"" + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":\"" + money(amount)
                + "\",\"reference\":\"" + ref + "\",\"twoPhase\":true" + (expires ? ",\"expiresIn\":\"PT2S\"" : "") + "}");
        ops.put(ref, reserved);
        if (!execute(http, reserved, "/transfers").equals("ACKED") || expires) {
            return;
        }
        boolean post = random.nextBoolean();
        long posted = post && random.nextBoolean() ? Math.max(1, amount / 2) : amount;
        Op end = new Op(post ? "post" : "void", ref + (post ? "-post" : "-void"), from, to, posted, transferId,
                post ? "{\"amount\":\"" + money(posted) + "\"}" : "{}");
        ops.put(end.reference, end);
        execute(http, end, "/transfers/" + transferId + (post ? "/post" : "/void"));
    }

    private Op movement(String kind, String ref, String account, long amount) {
        Op op = new Op(kind, ref, account, null, amount, null, "{\"amount\":\"" + money(amount) + "\",\"reference\":\"" + ref + "\"}");
        ops.put(ref, op);
        return op;
    }

    /**
     * Sends the command until it has an answer, retrying with the same Idempotency-Key and body
     * through crashes (no answer, 5xx, 429), as a careful client does. Returns the outcome.
     */
    private String execute(Http http, Op op, String path) {
        String key = "key-" + op.reference;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            Http.Reply reply = send(http, path, op.body, "Idempotency-Key", key);
            if (reply != null && reply.status() < 300) {
                op.outcome = "ACKED";
                ackTimes.add(System.nanoTime());
                checkAnsweredBalance(op, reply);
                return op.outcome;
            }
            if (reply != null && reply.status() >= 400 && reply.status() < 500 && reply.status() != 429) {
                op.outcome = "REFUSED";
                op.code = code(reply);
                if (!"insufficient-funds".equals(op.code)) {
                    findings.add(op.kind + " refused with something other than insufficient-funds", op.body + " → " + reply);
                }
                return op.outcome;
            }
            sleep(Math.min(2_000, 100L << Math.min(attempt, 5)));
        }
        return op.outcome;
    }

    /** The same key and body again, on purpose: the first answer again, nothing appended. */
    private void replayMovement(Http http, Op op, String path) {
        Http.Reply reply = send(http, path, op.body, "Idempotency-Key", "key-" + op.reference);
        if (reply == null || reply.status() >= 500) {
            return; // a crash window: nothing to learn
        }
        if (reply.status() != 201 || !"true".equals(reply.header("Idempotent-Replayed"))) {
            findings.add("a replayed " + op.kind + " (same key, same body) is not answered as a replay", op.body + " → " + reply
                    + " Idempotent-Replayed=" + reply.header("Idempotent-Replayed"));
        }
    }

    /** A transfer id used again: with the same body it is a replay, with another body 409 transfer-exists. */
    private void reuseTransferId(Http http, Random random, Op original) {
        int variant = random.nextInt(4);
        String otherAccount = accounts.stream().filter(a -> !a.equals(original.account) && !a.equals(original.to)).findAny().orElseThrow();
        String body = switch (variant) {
            case 0, 1 -> original.body;
            case 2 -> original.body.replace("\"amount\":\"" + money(original.amountMinor) + "\"",
                    "\"amount\":\"" + money(original.amountMinor + 1) + "\"");
            default -> original.body.replace("\"fromAccountId\":\"" + original.account + "\"", "\"fromAccountId\":\"" + otherAccount + "\"");
        };
        String what = variant < 2 ? "same id, same body" : variant == 2 ? "same id, another amount" : "same id, another source account";
        Http.Reply reply = null;
        for (int attempt = 0; attempt < 20 && (reply == null || reply.status() >= 500 || reply.status() == 429); attempt++) {
            if (attempt > 0) {
                sleep(Math.min(2_000, 100L << Math.min(attempt, 5)));
            }
            // A new Idempotency-Key (or none): the id alone must decide
            reply = variant == 1 ? send(http, "/transfers", body) : send(http, "/transfers", body, "Idempotency-Key", "reuse-" + UUID.randomUUID());
        }
        answers.computeIfAbsent("reuse " + what + " → " + (reply == null ? "no answer" : reply.status()), k -> new AtomicInteger())
                .incrementAndGet();
        if (reply == null || reply.status() >= 500 || reply.status() == 429) {
            return;
        }
        if (variant < 2) {
            if ((reply.status() != 201 && reply.status() != 202) || !"true".equals(reply.header("Idempotent-Replayed"))) {
                findings.add("a transfer id reused with the same body is not a replay (" + (variant == 1 ? "no key" : "a new key") + ")",
                        body + " → " + reply.status() + " Idempotent-Replayed=" + reply.header("Idempotent-Replayed") + " " + reply.body());
            }
        } else if (reply.status() != 409 || !"transfer-exists".equals(code(reply))) {
            findings.add("a transfer id reused with another body (" + what + ") is not 409 transfer-exists",
                    body + " → " + reply);
        }
    }

    private Http.Reply send(Http http, String path, String body, String... headers) {
        try {
            Http.Reply reply = http.post(commandUrl() + path, body, headers);
            String code = reply.status() >= 400 ? code(reply) : "";
            answers.computeIfAbsent(reply.status() + " " + code, k -> new AtomicInteger()).incrementAndGet();
            return reply;
        } catch (AssertionError noAnswer) {
            answers.computeIfAbsent("no answer", k -> new AtomicInteger()).incrementAndGet();
            return null;
        }
    }

    private void checkAnsweredBalance(Op op, Http.Reply reply) {
        JsonNode balance = reply.json().get("balance");
        if (balance != null && balance.isTextual() && below(op.account, balance.asText())) {
            findings.add("a command answered a balance below the account's overdraft limit", op.body + " → " + reply);
        }
    }

    /** The reader: any account, any time, from the query service; no read may show a balance below its limit. */
    private void readAndCheckLimits() {
        String id = accounts.get((int) (Math.random() * ACCOUNTS));
        try {
            Http.Reply view = staff.get(stack().queryUrl() + "/accounts/" + id);
            if (view.status() == 200 && below(id, view.json().get("balance").asText())) {
                findings.add("a read showed a balance below the overdraft limit", id + " → " + view);
            }
            Http.Reply entries = staff.get(stack().queryUrl() + "/accounts/" + id + "/entries?limit=500");
            if (entries.status() == 200) {
                for (JsonNode line : entries.json().path("items")) {
                    if (below(id, line.get("balanceAfter").asText())) {
                        findings.add("a statement line's balanceAfter is below the overdraft limit", id + " → " + line);
                    }
                }
            }
        } catch (AssertionError noAnswer) {
            sleep(200);
        }
        sleep(50);
    }

    private boolean below(String account, String balance) {
        return new BigDecimal(balance).movePointRight(2).longValueExact() < -overdraft.get(account);
    }

    /** kill -9 of one of the stack's services, and started again. */
    protected final void crash(String service) {
        mark("kill -9 " + service);
        stack().killService(service);
        stack().startService(service);
        mark(service + " ready");
    }

    private List<Integer> acksPerWindow() {
        List<Integer> windows = new ArrayList<>();
        synchronized (ackTimes) {
            for (long t : ackTimes) {
                int window = (int) ((t - startedAt) / 5_000_000_000L);
                while (windows.size() <= window) {
                    windows.add(0);
                }
                windows.set(window, windows.get(window) + 1);
            }
        }
        return windows;
    }

    /** A line in the timeline the test prints. */
    protected final void mark(String what) {
        timeline.add(String.format("%.1fs %s", (System.nanoTime() - startedAt) / 1e9, what));
    }

    // ---- the checks --------------------------------------------------------------------------

    /** The whole log of this test's accounts once every saga has settled (none left in flight). */
    private List<SpecificRecord> settledLog() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            List<SpecificRecord> log = LedgerLog.readAllRevealed(stack()).stream()
                    .filter(e -> overdraft.containsKey(LedgerLog.meta(e).getAccountId())).toList();
            // A transfer has settled when its source says so: TransferCompleted (after the credit, which
            // is what the client's 201 waited for) or TransferRefunded. Reading the log at the credit
            // would race the source's last event, which the read models then show and this log not.
            Set<String> open = new HashSet<>();
            Set<String> settled = new HashSet<>();
            for (SpecificRecord e : log) {
                if (e instanceof TransferDebited d) {
                    open.add(d.getTransferId());
                } else if (e instanceof TransferCompleted c) {
                    settled.add(c.getTransferId());
                } else if (e instanceof TransferRefunded r) {
                    settled.add(r.getTransferId());
                }
            }
            open.removeAll(settled);
            // Holds left to expire (two seconds) have expired: every placed hold that no client ends.
            Set<String> endedByClients = ops.values().stream().filter(o -> o.kind.equals("capture") || o.kind.equals("release"))
                    .map(o -> o.transferId).collect(java.util.stream.Collectors.toSet());
            Set<String> resolvedByClients = ops.values().stream().filter(o -> o.kind.equals("post") || o.kind.equals("void"))
                    .map(o -> o.transferId).collect(java.util.stream.Collectors.toSet());
            for (SpecificRecord e : log) {
                if (e instanceof FundsHeld h && !endedByClients.contains(h.getHoldId())) {
                    open.add("hold " + h.getHoldId());
                } else if (e instanceof HoldExpired x) {
                    open.remove("hold " + x.getHoldId());
                } else if (e instanceof TransferReserved r && !resolvedByClients.contains(r.getTransferId())) {
                    open.add("reservation " + r.getTransferId());
                } else if (e instanceof TransferVoided v) {
                    open.remove("reservation " + v.getTransferId());
                }
            }
            if (open.isEmpty()) {
                return log;
            }
            if (System.nanoTime() > deadline) {
                findings.add("transfers never settled (money left in flight) or holds or reservations never expired",
                        open.toString());
                return log;
            }
            Thread.sleep(500);
        }
    }

    private void checkLog(List<SpecificRecord> log) {
        Map<String, List<SpecificRecord>> byAccount = new LinkedHashMap<>();
        accounts.forEach(a -> byAccount.put(a, new ArrayList<>()));
        log.forEach(e -> byAccount.get(LedgerLog.meta(e).getAccountId()).add(e));
        Map<String, Integer> references = new HashMap<>();
        Map<String, List<TransferDebited>> debits = new HashMap<>();
        Map<String, Integer> credits = new HashMap<>();
        Map<String, Integer> refunds = new HashMap<>();
        long deposited = 0;
        long withdrawn = 0;
        long inFlight = 0;
        long balances = 0;
        if (log.stream().map(e -> LedgerLog.meta(e).getEventId()).distinct().count() != log.size()) {
            findings.add("an event id appears twice in the log", "");
        }
        Map<String, Integer> placements = new HashMap<>();
        Map<String, List<String>> endings = new HashMap<>();
        Map<String, String> captureWithdrawals = new HashMap<>();
        for (Map.Entry<String, List<SpecificRecord>> account : byAccount.entrySet()) {
            long balance = 0;
            long held = 0;
            List<SpecificRecord> events = account.getValue();
            for (int i = 0; i < events.size(); i++) {
                SpecificRecord e = events.get(i);
                if (LedgerLog.meta(e).getSequence() != i + 1) {
                    findings.add("a per-account sequence has a gap or a duplicate", account.getKey() + ": event " + (i + 1) + " has sequence "
                            + LedgerLog.meta(e).getSequence());
                }
                if (e instanceof FundsDeposited d) {
                    balance += d.getAmountMinor();
                    deposited += d.getAmountMinor();
                    references.merge(String.valueOf(d.getReference()), 1, Integer::sum);
                } else if (e instanceof FundsWithdrawn w) {
                    balance -= w.getAmountMinor();
                    withdrawn += w.getAmountMinor();
                    references.merge(String.valueOf(w.getReference()), 1, Integer::sum);
                } else if (e instanceof TransferDebited d) {
                    balance -= d.getAmountMinor();
                    inFlight += d.getAmountMinor();
                    debits.computeIfAbsent(d.getTransferId(), k -> new ArrayList<>()).add(d);
                } else if (e instanceof TransferCredited c) {
                    balance += c.getAmountMinor();
                    inFlight -= c.getAmountMinor();
                    credits.merge(c.getTransferId(), 1, Integer::sum);
                } else if (e instanceof TransferRefunded r) {
                    balance += r.getAmountMinor();
                    inFlight -= r.getAmountMinor();
                    refunds.merge(r.getTransferId(), 1, Integer::sum);
                } else if (e instanceof FundsHeld h) {
                    held += h.getAmountMinor();
                    placements.merge(h.getHoldId(), 1, Integer::sum);
                } else if (e instanceof HoldCaptured c) {
                    held -= c.getCapturedMinor() + c.getReleasedMinor();
                    endings.computeIfAbsent(c.getHoldId(), k -> new ArrayList<>()).add("capture");
                    SpecificRecord next = i + 1 < events.size() ? events.get(i + 1) : null;
                    if (!(next instanceof FundsWithdrawn w) || !w.getTransactionId().equals(c.getTransactionId())
                            || w.getAmountMinor() != c.getCapturedMinor()) {
                        findings.add("a capture is not followed by its withdrawal", account.getKey() + ": " + c + " then " + next);
                    } else {
                        captureWithdrawals.put(c.getHoldId(), String.valueOf(w.getReference()));
                    }
                } else if (e instanceof HoldReleased r) {
                    held -= r.getReleasedMinor();
                    endings.computeIfAbsent(r.getHoldId(), k -> new ArrayList<>()).add("release");
                } else if (e instanceof HoldExpired x) {
                    held -= x.getReleasedMinor();
                    endings.computeIfAbsent(x.getHoldId(), k -> new ArrayList<>()).add("expiry");
                } else if (e instanceof TransferReserved r) {
                    held += r.getAmountMinor();
                    placements.merge(r.getTransferId(), 1, Integer::sum);
                } else if (e instanceof TransferPosted p) {
                    held -= p.getPostedMinor() + p.getReleasedMinor();
                    endings.computeIfAbsent(p.getTransferId(), k -> new ArrayList<>()).add("post");
                    SpecificRecord next = i + 1 < events.size() ? events.get(i + 1) : null;
                    if (!(next instanceof TransferDebited d) || !d.getTransferId().equals(p.getTransferId())
                            || d.getAmountMinor() != p.getPostedMinor()) {
                        findings.add("a post is not followed by its debit", account.getKey() + ": " + p + " then " + next);
                    }
                } else if (e instanceof TransferVoided v) {
                    held -= v.getReleasedMinor();
                    endings.computeIfAbsent(v.getTransferId(), k -> new ArrayList<>()).add(v.getExpired() ? "expiry" : "void");
                }
                var heldAfter = e.getSchema().getField("heldAfterMinor");
                if (heldAfter != null && (Long) e.get(heldAfter.pos()) != held) {
                    findings.add("an event's heldAfter does not follow from the holds before it", account.getKey()
                            + " sequence " + LedgerLog.meta(e).getSequence() + ": " + e.get(heldAfter.pos()) + " recorded, "
                            + held + " computed");
                    held = (Long) e.get(heldAfter.pos());
                }
                if (balance + overdraft.get(account.getKey()) - held < 0) {
                    findings.add("available money below zero (balance + overdraft − held)", account.getKey() + " sequence "
                            + LedgerLog.meta(e).getSequence() + ": balance " + balance + ", held " + held);
                }
                var after = e.getSchema().getField("balanceAfterMinor");
                if (after != null) {
                    long recorded = (Long) e.get(after.pos());
                    if (recorded != balance) {
                        findings.add("an event's balanceAfter does not follow from the events before it", account.getKey()
                                + " sequence " + LedgerLog.meta(e).getSequence() + ": " + recorded + " recorded, " + balance + " computed");
                        balance = recorded;
                    }
                    if (recorded < -overdraft.get(account.getKey())) {
                        findings.add("the log holds a balance below the overdraft limit", account.getKey() + " sequence "
                                + LedgerLog.meta(e).getSequence() + ": " + recorded);
                    }
                }
            }
            balances += balance;
        }
        if (balances + inFlight != deposited - withdrawn) {
            findings.add("money is not conserved: balances + in flight ≠ deposits − withdrawals", balances + " + " + inFlight + " ≠ "
                    + deposited + " − " + withdrawn);
        }

        for (Op op : ops.values()) {
            if (op.kind.equals("reserve")) {
                expectCount(op, placements.getOrDefault(op.transferId, 0));
                List<String> ended = endings.getOrDefault(op.transferId, List.of());
                if (ended.size() > 1) {
                    findings.add("a reservation ended more than once", op.transferId + ": " + ended);
                }
                boolean leftToExpire = ops.values().stream().noneMatch(o -> op.transferId.equals(o.transferId)
                        && (o.kind.equals("post") || o.kind.equals("void")));
                if (op.outcome.equals("ACKED") && leftToExpire && !ended.equals(List.of("expiry"))) {
                    findings.add("an acknowledged reservation left to expire did not expire (once)", op.transferId + ": " + ended);
                }
                List<TransferDebited> debited = debits.getOrDefault(op.transferId, List.of());
                int settled = credits.getOrDefault(op.transferId, 0) + refunds.getOrDefault(op.transferId, 0);
                if (debited.size() != (ended.contains("post") ? 1 : 0) || settled != debited.size()) {
                    findings.add("a two-phase transfer moved money other than once per post", op.transferId + ": " + ended
                            + ", " + debited.size() + " debits, " + settled + " credits or refunds");
                }
            } else if (op.kind.equals("post") || op.kind.equals("void")) {
                List<String> ended = endings.getOrDefault(op.transferId, List.of());
                if (op.outcome.equals("ACKED") && !ended.equals(List.of(op.kind))) {
                    findings.add("an acknowledged " + op.kind + " is not how its transfer's reservation ended",
                            op.transferId + ": " + ended);
                }
                List<TransferDebited> debited = debits.getOrDefault(op.transferId, List.of());
                if (op.kind.equals("post") && op.outcome.equals("ACKED")
                        && (debited.size() != 1 || debited.get(0).getAmountMinor() != op.amountMinor)) {
                    findings.add("an acknowledged post did not move the posted amount once", op.transferId + ": " + debited);
                }
            } else if (op.kind.equals("hold")) {
                expectCount(op, placements.getOrDefault(op.transferId, 0));
                List<String> ended = endings.getOrDefault(op.transferId, List.of());
                if (ended.size() > 1) {
                    findings.add("a hold ended more than once", op.transferId + ": " + ended);
                }
                boolean leftToExpire = ops.values().stream().noneMatch(o -> op.transferId.equals(o.transferId)
                        && (o.kind.equals("capture") || o.kind.equals("release")));
                if (op.outcome.equals("ACKED") && leftToExpire && !ended.equals(List.of("expiry"))) {
                    findings.add("an acknowledged hold left to expire did not expire (once)", op.transferId + ": " + ended);
                }
            } else if (op.kind.equals("capture") || op.kind.equals("release")) {
                List<String> ended = endings.getOrDefault(op.transferId, List.of());
                if (op.outcome.equals("ACKED") && !ended.equals(List.of(op.kind))) {
                    findings.add("an acknowledged " + op.kind + " is not how its hold ended", op.transferId + ": " + ended);
                }
                if (op.kind.equals("capture") && op.outcome.equals("ACKED")
                        && !op.reference.startsWith(captureWithdrawals.getOrDefault(op.transferId, "?"))) {
                    findings.add("a capture's withdrawal does not carry its hold's reference", op.transferId);
                }
            } else if (op.kind.equals("transfer")) {
                List<TransferDebited> debited = debits.getOrDefault(op.transferId, List.of());
                int settled = credits.getOrDefault(op.transferId, 0) + refunds.getOrDefault(op.transferId, 0);
                expectCount(op, debited.size());
                if (debited.size() == 1 && (debited.get(0).getAmountMinor() != op.amountMinor
                        || !LedgerLog.meta(debited.get(0)).getAccountId().equals(op.account))) {
                    findings.add("a transfer id's debit is not what its first request asked", op.body + " → " + debited.get(0));
                }
                if (settled != debited.size()) {
                    findings.add("a transfer id is credited or refunded a number of times other than its debits", op.transferId + ": "
                            + debited.size() + " debits, " + credits.getOrDefault(op.transferId, 0) + " credits, "
                            + refunds.getOrDefault(op.transferId, 0) + " refunds");
                }
            } else {
                expectCount(op, references.getOrDefault(op.reference, 0));
            }
        }
        long ackedDeposits = ops.values().stream().filter(o -> o.kind.equals("deposit") && o.outcome.equals("ACKED"))
                .mapToLong(o -> o.amountMinor).sum();
        long possibleDeposits = ops.values().stream().filter(o -> o.kind.equals("deposit") && !o.outcome.equals("REFUSED"))
                .mapToLong(o -> o.amountMinor).sum();
        if (deposited < ackedDeposits || deposited > possibleDeposits) {
            findings.add("deposits in the log are not between the acknowledged ones and those with an unknown outcome",
                    ackedDeposits + " ≤ " + deposited + " ≤ " + possibleDeposits);
        }
    }

    private void expectCount(Op op, int count) {
        String what = op.kind.equals("transfer") ? "debits of transfer id " + op.transferId : op.kind + "s with reference " + op.reference;
        if (op.outcome.equals("ACKED") && count != 1) {
            findings.add("an acknowledged " + op.kind + " is in the log " + (count == 0 ? "not at all" : "more than once"),
                    count + " " + what);
        } else if (op.outcome.equals("REFUSED") && count != 0) {
            findings.add("a refused " + op.kind + " is in the log", count + " " + what + " (refused: " + op.code + ")");
        } else if (op.outcome.equals("UNKNOWN") && count > 1) {
            findings.add("a " + op.kind + " whose answer was lost is in the log more than once", count + " " + what);
        }
    }

    private void checkReadModels(List<SpecificRecord> log) throws Exception {
        ReadModels.awaitIdle(staff, projectionUrls());
        for (String id : accounts) {
            List<SpecificRecord> events = LedgerLog.of(log, id);
            long balance = 0;
            for (SpecificRecord e : events) {
                var after = e.getSchema().getField("balanceAfterMinor");
                if (after != null) {
                    balance = (Long) e.get(after.pos());
                }
            }
            JsonNode view = staff.get(stack().queryUrl() + "/accounts/" + id).json();
            if (!view.path("balance").asText().equals(money(balance)) || view.path("version").asInt() != events.size()) {
                findings.add("the accounts read model differs from the log", id + ": log " + money(balance) + " v" + events.size()
                        + ", read model " + view.path("balance").asText() + " v" + view.path("version").asInt());
            }
        }
        Map<String, String> live = ReadModels.checksums(stack());
        RebuildSystemTest.rebuildAll(staff, stack());
        Map<String, String> replayed = ReadModels.checksums(stack());
        for (String table : live.keySet()) {
            if (!live.get(table).equals(replayed.get(table))) {
                findings.add("a read model after the crashes differs from a replay of the log", table + ": live (rows:md5) "
                        + live.get(table) + ", replayed " + replayed.get(table));
            }
        }
        Http.Reply reconciliation = staff.post(stack().projectionUrl() + "/reconciliation", "{}");
        if (!"OK".equals(reconciliation.json().path("status").asText())) {
            findings.add("reconciliation of the read models is not OK", reconciliation.toString());
        }
    }

    // ---- small things ------------------------------------------------------------------------

    private static String code(Http.Reply reply) {
        try {
            return reply.json().path("code").asText();
        } catch (AssertionError notJson) {
            return "(not JSON)";
        }
    }

    static String money(long minor) {
        return (minor < 0 ? "-" : "") + Math.abs(minor) / 100 + "." + String.format("%02d", Math.abs(minor) % 100);
    }

    protected static void pause(int seconds) {
        sleep(seconds * 1_000L);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Failure classes with a count and the first few examples each. */
    static final class Findings {
        private final Map<String, List<String>> examples = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final String test;

        Findings(String test) {
            this.test = test;
        }

        void add(String kind, String example) {
            counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            List<String> list = examples.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>());
            if (list.size() < 3) {
                list.add(example.length() > 400 ? example.substring(0, 400) + "…" : example);
            }
        }

        boolean isEmpty() {
            return counts.isEmpty();
        }

        String report() {
            if (counts.isEmpty()) {
                return test + ": no failures";
            }
            StringBuilder out = new StringBuilder(getClass().getSimpleName() + ": " + counts.size() + " failure classes\n");
            counts.forEach((kind, count) -> {
                out.append(String.format("%6d × %s%n", count.get(), kind));
                examples.get(kind).forEach(e -> out.append("         e.g. ").append(e).append('\n'));
            });
            return out.toString();
        }
    }
}
