package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferRefunded;
import dev.tally.stack.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Random concurrent transfers among twenty accounts while the command service is killed with
 * SIGKILL and started again. Afterwards the log must show: money conserved, every saga settled,
 * every account's sequence gapless and unique, every acknowledged transfer debited exactly once.
 */
class TransferCrashSystemTest {

    private static final int ACCOUNTS = 20;
    private static final long DEPOSIT_MINOR = 100_000;

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void a_crash_in_the_middle_of_concurrent_transfers_loses_and_doubles_nothing() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = "crash-" + run + "-" + i;
            assertEquals(201, http.post(stack.commandUrl() + "/accounts",
                    "{\"accountId\":\"" + id + "\",\"owner\":\"o\",\"currency\":\"USD\"}").status());
            assertEquals(201, http.post(stack.commandUrl() + "/accounts/" + id + "/deposits",
                    "{\"amount\":\"1000.00\"}").status());
            accounts.add(id);
        }

        Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        for (int c = 0; c < 6; c++) {
            clients.submit(() -> {
                while (running.get()) {
                    transferOnce(accounts, acknowledged);
                }
            });
        }
        Thread.sleep(3_000);
        stack.killService(LocalStack.COMMAND_SERVICE);
        Thread.sleep(500);
        stack.startService(LocalStack.COMMAND_SERVICE);
        Thread.sleep(3_000);
        running.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));

        List<SpecificRecord> log = settledLog(accounts);
        Map<String, List<SpecificRecord>> byAccount = new HashMap<>();
        for (SpecificRecord event : log) {
            byAccount.computeIfAbsent(LedgerLog.meta(event).getAccountId(), k -> new ArrayList<>()).add(event);
        }
        long total = 0;
        for (String id : accounts) {
            List<SpecificRecord> events = byAccount.get(id);
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i + 1, LedgerLog.meta(events.get(i)).getSequence(), id + " has a gap or a duplicate");
            }
            total += lastBalance(events);
        }
        assertEquals(ACCOUNTS * DEPOSIT_MINOR, total, "money conserved across the crash");
        assertEquals(log.size(), log.stream().map(e -> LedgerLog.meta(e).getEventId()).distinct().count(),
                "no event appended twice");
        Map<String, Long> debits = new HashMap<>();
        log.stream().filter(e -> e instanceof TransferDebited)
                .forEach(e -> debits.merge(((TransferDebited) e).getTransferId(), 1L, Long::sum));
        assertTrue(acknowledged.size() > 20, "the test moved enough money to mean something: " + acknowledged.size());
        for (String transferId : acknowledged) {
            assertEquals(1L, debits.getOrDefault(transferId, 0L), "acknowledged transfer " + transferId);
        }
    }

    private void transferOnce(List<String> accounts, Set<String> acknowledged) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String from = accounts.get(random.nextInt(accounts.size()));
        String to = accounts.get(random.nextInt(accounts.size()));
        if (from.equals(to)) {
            return;
        }
        String transferId = UUID.randomUUID().toString();
        try {
            Http.Reply reply = http.post(stack.commandUrl() + "/transfers", """
                    {"transferId":"%s","fromAccountId":"%s","toAccountId":"%s","amount":"%d.%02d"}"""
                    .formatted(transferId, from, to, random.nextInt(1, 60), random.nextInt(100)));
            if (reply.status() == 201 || reply.status() == 202) {
                acknowledged.add(transferId);
            }
        } catch (AssertionError connectionRefusedWhileDown) {
            // the outcome is unknown to the client; the log decides
        }
    }

    /** The whole log once every saga among these accounts has settled (nothing left in flight). */
    private List<SpecificRecord> settledLog(List<String> accounts) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<SpecificRecord> log = LedgerLog.readAll(stack.bootstrapServers()).stream()
                    .filter(e -> accounts.contains(LedgerLog.meta(e).getAccountId())).toList();
            // Partitions are read in no particular order: a credit may be read before its debit.
            Set<String> inFlight = new HashSet<>();
            Set<String> settled = new HashSet<>();
            for (SpecificRecord e : log) {
                if (e instanceof TransferDebited d) {
                    inFlight.add(d.getTransferId());
                } else if (e instanceof TransferCredited c) {
                    settled.add(c.getTransferId());
                } else if (e instanceof TransferRefunded r) {
                    settled.add(r.getTransferId());
                }
            }
            inFlight.removeAll(settled);
            if (inFlight.isEmpty()) {
                return log;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("transfers never settled: " + inFlight);
            }
            Thread.sleep(500);
        }
    }

    /** The balance after the account's last event that moved money. */
    private static long lastBalance(List<SpecificRecord> events) {
        long balance = 0;
        for (SpecificRecord event : events) {
            var field = event.getSchema().getField("balanceAfterMinor");
            if (field != null) {
                balance = (Long) event.get(field.pos());
            }
        }
        return balance;
    }
}
