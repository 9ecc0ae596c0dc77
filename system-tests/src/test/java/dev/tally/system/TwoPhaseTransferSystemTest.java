package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.FundsDeposited;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
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
 * Two-phase transfers over HTTP against the running stack (issue 14, section 2): reserve, then post
 * (all or part), void or expire, each exactly once and idempotent, and many of them at once on few
 * accounts ending with the money where the log says it is.
 */
class TwoPhaseTransferSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void a_reserved_transfer_moves_nothing_until_it_is_posted_and_then_moves_once() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String from = "2p-from-" + run;
        String to = "2p-to-" + run;
        http.openAccount(stack.commandUrl(), from);
        http.openAccount(stack.commandUrl(), to);
        http.deposit(stack.commandUrl(), from, "100.00");
        String transferId = "2p-" + run;

        Http.Reply reserved = reserve(transferId, from, to, "60.00", "");
        assertEquals(201, reserved.status(), reserved.body());
        assertEquals("RESERVED", reserved.json().get("status").asText());
        assertTrue(reserved.json().get("twoPhase").asBoolean());
        assertEquals("60.00", reserved.json().get("reservedAmount").asText());
        assertNotNull(reserved.json().get("expiresAt"));
        assertEquals("/transfers/" + transferId, reserved.header("Location"));
        Http.Reply overdrawn = http.post(stack.commandUrl() + "/accounts/" + from + "/withdrawals",
                "{\"amount\":\"40.01\"}");
        assertEquals(422, overdrawn.status(), "reserved money cannot be spent: " + overdrawn.body());

        Http.Reply again = reserve(transferId, from, to, "60.00", "");
        assertEquals(201, again.status(), again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        Http.Reply onePhase = http.post(stack.commandUrl() + "/transfers", "{\"transferId\":\"" + transferId
                + "\",\"fromAccountId\":\"" + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":\"60.00\"}");
        assertEquals(409, onePhase.status(), onePhase.body());
        assertEquals("transfer-exists", onePhase.json().get("code").asText());

        Http.Reply tooMuch = post(transferId, "{\"amount\":\"60.01\"}");
        assertEquals(400, tooMuch.status(), tooMuch.body());
        Http.Reply stranger = Http.as("mallory", "customer").post(transfer(transferId) + "/post", "{}");
        assertEquals(404, stranger.status(), stranger.body());
        assertEquals("transfer-not-found", stranger.json().get("code").asText());

        Http.Reply posted = post(transferId, "{\"amount\":\"45.00\"}");
        assertEquals(200, posted.status(), posted.body());
        assertEquals("COMPLETED", posted.json().get("status").asText());
        assertEquals("45.00", posted.json().get("amount").asText());
        assertNotNull(posted.header("Consistency-Token"));
        Http.Reply postedAgain = post(transferId, "{\"amount\":\"45.00\"}");
        assertEquals(200, postedAgain.status(), postedAgain.body());
        assertEquals("true", postedAgain.header("Idempotent-Replayed"));
        Http.Reply voided = http.post(transfer(transferId) + "/void", "{}");
        assertEquals(422, voided.status(), voided.body());
        assertEquals("transfer-not-reserved", voided.json().get("code").asText());

        List<SpecificRecord> all = LedgerLog.readAll(stack.bootstrapServers());
        assertEquals(List.of("AccountOpened", "FundsDeposited", "TransferReserved", "TransferPosted", "TransferDebited",
                "TransferCompleted"), types(LedgerLog.of(all, from)));
        assertEquals(List.of("AccountOpened", "TransferCredited"), types(LedgerLog.of(all, to)));
        TransferPosted post = (TransferPosted) LedgerLog.of(all, from).get(3);
        assertEquals(4_500, post.getPostedMinor());
        assertEquals(1_500, post.getReleasedMinor());

        Http.Reply source = http.get(stack.queryUrl() + "/accounts/" + from, "Consistency-Token",
                posted.header("Consistency-Token"));
        assertEquals(200, source.status(), source.body());
        assertEquals("55.00", source.json().get("balance").asText());
        assertEquals("0.00", source.json().get("held").asText());
        assertEquals("55.00", source.json().get("available").asText());
        Http.Reply view = http.get(stack.queryUrl() + "/transfers/" + transferId, "Consistency-Token",
                posted.header("Consistency-Token"));
        assertEquals(200, view.status(), view.body());
        assertEquals("COMPLETED", view.json().get("status").asText());
        assertTrue(view.json().get("twoPhase").asBoolean(), view.body());
    }

    @Test
    void a_void_and_an_expiry_each_release_the_reservation_once() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String from = "2p-void-" + run;
        String to = "2p-void-to-" + run;
        http.openAccount(stack.commandUrl(), from);
        http.openAccount(stack.commandUrl(), to);
        http.deposit(stack.commandUrl(), from, "10.00");

        assertEquals(201, reserve("v-" + run, from, to, "4.00", "").status());
        Http.Reply voided = http.post(transfer("v-" + run) + "/void", "{\"reason\":\"order cancelled\"}");
        assertEquals(200, voided.status(), voided.body());
        assertEquals("VOIDED", voided.json().get("status").asText());
        assertEquals("order cancelled", voided.json().get("reason").asText());
        assertEquals("true", http.post(transfer("v-" + run) + "/void", "{}").header("Idempotent-Replayed"));
        Http.Reply late = post("v-" + run, "{}");
        assertEquals(422, late.status(), late.body());
        assertEquals("transfer-not-reserved", late.json().get("code").asText());

        assertEquals(201, reserve("e-" + run, from, to, "6.00", ",\"expiresIn\":\"PT1S\"").status());
        TransferVoided expiry = awaitVoids(from, 2).get(1);
        assertTrue(expiry.getExpired());
        assertEquals("system", expiry.getMeta().getActor());
        Http.Reply voidExpired = http.post(transfer("e-" + run) + "/void", "{}");
        assertEquals(200, voidExpired.status(), voidExpired.body());
        assertEquals("EXPIRED", voidExpired.json().get("status").asText());
        Thread.sleep(3_000); // three more expiry checks: none may expire it again
        assertEquals(2, voids(from).size(), "each reservation ended once");
        Http.Reply spend = http.post(stack.commandUrl() + "/accounts/" + from + "/withdrawals", "{\"amount\":\"10.00\"}");
        assertEquals(201, spend.status(), "both reservations' money is available again: " + spend.body());
    }

    @Test
    void refusals_change_nothing() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String from = "2p-bad-" + run;
        http.openAccount(stack.commandUrl(), from);
        http.deposit(stack.commandUrl(), from, "10.00");
        String base = "{\"fromAccountId\":\"" + from + "\",\"toAccountId\":\"x-" + run + "\",\"amount\":\"1.00\"";
        for (String body : List.of(base + ",\"expiresIn\":\"PT1H\"}", base + ",\"twoPhase\":true,\"expiresIn\":\"P31D\"}",
                base + ",\"twoPhase\":true,\"expiresIn\":\"PT0S\"}", base + ",\"twoPhase\":true,\"expiresIn\":\"-PT1H\"}",
                base + ",\"twoPhase\":true,\"expiresIn\":\"soon\"}", base + ",\"twoPhase\":\"yes\"}")) {
            Http.Reply refused = http.post(stack.commandUrl() + "/transfers", body);
            assertEquals(400, refused.status(), body + " -> " + refused.body());
            assertEquals("validation", refused.json().get("code").asText());
        }
        Http.Reply missing = post("never-" + run, "{}");
        assertEquals(404, missing.status(), missing.body());
        assertEquals("transfer-not-found", missing.json().get("code").asText());
        Http.Reply badAmount = post("never-" + run, "{\"amount\":\"1e3\"}");
        assertEquals(400, badAmount.status(), badAmount.body());
        assertEquals(List.of("AccountOpened", "FundsDeposited"),
                types(LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), from)));
    }

    /**
     * 300 two-phase transfers between three accounts, each posted (all or part), voided or left to
     * expire in a second, with every post and void sent twice at once. Afterwards every reservation
     * ended exactly once, each post moved its money once through the saga, and the balances are
     * what the deposits and the completed transfers make them.
     */
    @Test
    void concurrent_two_phase_transfers_on_few_accounts_end_once_each_and_conserve_money() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> accounts = List.of("2pc-a-" + run, "2pc-b-" + run, "2pc-c-" + run);
        for (String account : accounts) {
            http.openAccount(stack.commandUrl(), account);
            http.deposit(stack.commandUrl(), account, "100.00");
        }
        ExecutorService clients = Executors.newFixedThreadPool(12);
        // The twin requests wait on nothing, so they get threads of their own (a bounded pool whose
        // tasks wait for tasks queued behind them could deadlock).
        ExecutorService twins = Executors.newCachedThreadPool();
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            work.add(clients.submit(() -> {
                Random random = new Random(n);
                String from = accounts.get(n % 3);
                String to = accounts.get((n + 1 + random.nextInt(2)) % 3);
                String id = "2pc-" + run + "-" + n;
                String expires = random.nextInt(5) == 0 ? ",\"expiresIn\":\"PT1S\"" : "";
                Http.Reply reserved = http.postPolitely(stack.commandUrl() + "/transfers", "{\"transferId\":\"" + id
                        + "\",\"fromAccountId\":\"" + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":\""
                        + (1 + random.nextInt(9)) + ".00\",\"twoPhase\":true" + expires + "}");
                assertTrue(reserved.status() == 201 || reserved.status() == 422, reserved.body());
                if (reserved.status() == 201 && expires.isEmpty()) {
                    boolean posting = random.nextBoolean();
                    String url = transfer(id) + (posting ? "/post" : "/void");
                    String body = posting && random.nextBoolean() ? "{\"amount\":\"1.00\"}" : "{}";
                    // The same request twice at once: one moves the money, both hear the same end.
                    Future<Http.Reply> twin = twins.submit(() -> http.postPolitely(url, body));
                    Http.Reply first = http.postPolitely(url, body);
                    Http.Reply second = twin.get();
                    for (Http.Reply reply : List.of(first, second)) {
                        assertTrue(reply.status() == 200 || reply.status() == 202, url + " -> " + reply.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        clients.shutdown();
        twins.shutdown();

        List<SpecificRecord> all = awaitEveryReservationEnded(accounts);
        Map<String, Long> balances = new HashMap<>();
        Map<String, String> endings = new HashMap<>();
        Map<String, Long> debited = new HashMap<>();
        long deposited = 0;
        for (String account : accounts) {
            long held = 0;
            for (SpecificRecord event : LedgerLog.of(all, account)) {
                switch (event) {
                    case FundsDeposited e -> {
                        deposited += e.getAmountMinor();
                        balances.merge(account, e.getAmountMinor(), Long::sum);
                    }
                    case TransferReserved e -> {
                        held += e.getAmountMinor();
                        assertEquals(held, e.getHeldAfterMinor(), "held after reserving " + e.getTransferId());
                    }
                    case TransferPosted e -> {
                        held -= e.getPostedMinor() + e.getReleasedMinor();
                        assertEquals(held, e.getHeldAfterMinor());
                        assertEquals(null, endings.put(e.getTransferId(), "POSTED"), "ends once: " + e.getTransferId());
                    }
                    case TransferVoided e -> {
                        held -= e.getReleasedMinor();
                        assertEquals(held, e.getHeldAfterMinor());
                        assertEquals(null, endings.put(e.getTransferId(), e.getExpired() ? "EXPIRED" : "VOIDED"),
                                "ends once: " + e.getTransferId());
                    }
                    case TransferDebited e -> {
                        assertEquals(null, debited.put(e.getTransferId(), e.getAmountMinor()), "debited once");
                        balances.merge(account, -e.getAmountMinor(), Long::sum);
                    }
                    case TransferCredited e -> balances.merge(account, e.getAmountMinor(), Long::sum);
                    case TransferRefunded e -> balances.merge(account, e.getAmountMinor(), Long::sum);
                    case TransferCompleted e -> assertTrue(debited.containsKey(e.getTransferId()));
                    default -> {
                    }
                }
                Object after = event.getSchema().getField("balanceAfterMinor") == null ? null
                        : event.get(event.getSchema().getField("balanceAfterMinor").pos());
                long balance = balances.getOrDefault(account, 0L);
                if (after != null) {
                    assertEquals(balance, (long) (Long) after, "balance after " + event);
                }
                assertTrue(balance - held >= 0, "available below zero on " + account);
            }
            assertEquals(0, held, account + ": every reservation ended");
        }
        assertEquals(deposited, balances.values().stream().mapToLong(Long::longValue).sum(),
                "no money made or lost: every debit was credited (or refunded)");
        long posted = endings.values().stream().filter("POSTED"::equals).count();
        assertEquals(posted, debited.size(), "each posted transfer was debited exactly once, and only those");
        assertTrue(endings.containsValue("EXPIRED") && endings.containsValue("VOIDED") && posted > 0, endings::toString);
    }

    private List<SpecificRecord> awaitEveryReservationEnded(List<String> accounts) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            List<SpecificRecord> all = LedgerLog.readAll(stack.bootstrapServers());
            long reserved = count(all, accounts, TransferReserved.class);
            long ended = count(all, accounts, TransferPosted.class) + count(all, accounts, TransferVoided.class);
            long debits = count(all, accounts, TransferDebited.class);
            long settled = count(all, accounts, TransferCompleted.class) + count(all, accounts, TransferRefunded.class);
            if (reserved == ended && debits == settled || System.nanoTime() > deadline) {
                return all;
            }
            Thread.sleep(250);
        }
    }

    private static long count(List<SpecificRecord> all, List<String> accounts, Class<?> type) {
        return all.stream().filter(e -> type.isInstance(e) && accounts.contains(LedgerLog.meta(e).getAccountId())).count();
    }

    private List<TransferVoided> awaitVoids(String account, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        do {
            List<TransferVoided> found = voids(account);
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no expiry of " + account + "'s reservation on the log within 30 s");
    }

    private List<TransferVoided> voids(String account) {
        return LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), account).stream()
                .filter(TransferVoided.class::isInstance).map(TransferVoided.class::cast).toList();
    }


    private Http.Reply reserve(String transferId, String from, String to, String amount, String extra) {
        return http.post(stack.commandUrl() + "/transfers", "{\"transferId\":\"" + transferId + "\",\"fromAccountId\":\""
                + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":\"" + amount + "\",\"twoPhase\":true" + extra + "}");
    }

    private Http.Reply post(String transferId, String body) {
        return http.post(transfer(transferId) + "/post", body);
    }

    private String transfer(String transferId) {
        return stack.commandUrl() + "/transfers/" + transferId;
    }

    private static List<String> types(List<SpecificRecord> events) {
        return events.stream().map(e -> e.getSchema().getName()).toList();
    }
}
