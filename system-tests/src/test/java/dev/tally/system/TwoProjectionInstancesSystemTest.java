package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.stack.LocalStack;
import dev.tally.stack.ServiceProcess;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, 4: two projection-service processes on one database while events flow, as during a
 * rolling update with maxSurge or a second ./run; the second is also frozen (SIGSTOP) past its
 * session timeout and thawed, as a paused VM coming back is. Afterwards the read models equal a
 * replay from scratch and nothing was parked.
 */
// A hang guard for each test (waits such as a rebuild's have no deadline of their own), not a speed check.
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class TwoProjectionInstancesSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void two_instances_on_one_database_leave_read_models_equal_to_a_replay() throws Exception {
        List<String> accounts = List.of(open(), open(), open(), open(), open(), open());
        for (String id : accounts) {
            http.post(stack.commandUrl() + "/accounts/" + id + "/deposits", "{\"amount\":\"500.00\"}");
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        writer.submit(() -> {
            while (writing.get()) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String from = accounts.get(random.nextInt(accounts.size()));
                String to = accounts.get(random.nextInt(accounts.size()));
                Http.Reply reply = from.equals(to)
                        ? http.post(stack.commandUrl() + "/accounts/" + from + "/deposits", "{\"amount\":\"0.10\"}")
                        : http.post(stack.commandUrl() + "/transfers",
                        "{\"fromAccountId\":\"%s\",\"toAccountId\":\"%s\",\"amount\":\"0.25\"}".formatted(from, to));
                if (reply.status() < 300) {
                    written.incrementAndGet();
                }
            }
            return null;
        });

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ServiceProcess second = stack.startExtraInstance(LocalStack.PROJECTION_SERVICE, port,
                Map.of("TALLY_PROJECTION_INSTANCE_ID", "second-" + port));
        try {
            awaitLive(second);
            Thread.sleep(4_000); // both instances apply, each its share of the partitions
            signal("STOP", second.pid()); // a paused VM: its partitions go to the other instance …
            Thread.sleep(14_000);
            signal("CONT", second.pid()); // … and it comes back, mid-batch perhaps, believing they are its own
            Thread.sleep(6_000);
            rebuildSeenByBoth(second, "statements"); // while both apply events
            reconciliationSeenByBoth(second);
            stack.killService(LocalStack.PROJECTION_SERVICE); // a rolling update: the first goes, a new one comes
            stack.startService(LocalStack.PROJECTION_SERVICE);
            Thread.sleep(3_000);
        } finally {
            writing.set(false);
            second.close();
        }
        writer.shutdown();
        assertTrue(writer.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(written.get() > 20, "events flowed while two instances ran: " + written.get());

        // A transfer's last step (TransferCompleted on the source) lands after the client's 201: wait
        // until the read models stop moving, or the snapshot races the saga, not the writers.
        Map<String, String> afterTwoWriters = settledChecksums();
        assertEquals(0, parkedEventsOf(accounts), "nothing parked");
        RebuildSystemTest.rebuildAll(http, stack);
        assertEquals(afterTwoWriters, ReadModels.checksums(stack), "two instances' read models equal a replay");
        Http.Reply reconciliation = http.post(stack.projectionUrl() + "/reconciliation", "{}");
        assertEquals("OK", reconciliation.json().get("status").asText(), reconciliation::toString);
    }

    /**
     * Both instances asked at the same moment to rebuild one projection: exactly one starts it (the
     * other answers 409), and both then report that one rebuild, to its end.
     */
    private void rebuildSeenByBoth(ServiceProcess second, String projection) throws Exception {
        List<String> instances = List.of(stack.projectionUrl(), second.baseUrl());
        for (String instance : instances) { // warm: a cold first request (JWT keys, JIT) takes a second
            assertEquals(200, http.get(instance + "/projections/" + projection).status());
        }
        ExecutorService both = Executors.newFixedThreadPool(2);
        List<Http.Reply> replies = new java.util.ArrayList<>();
        for (var reply : both.invokeAll(instances.stream().<java.util.concurrent.Callable<Http.Reply>>map(
                instance -> () -> http.post(instance + "/projections/" + projection + "/rebuild", "")).toList())) {
            replies.add(reply.get());
        }
        both.shutdown();
        List<Integer> statuses = replies.stream().map(Http.Reply::status).sorted().toList();
        assertEquals(List.of(202, 409), statuses, () -> "one rebuild of a projection at a time: " + replies);
        Http.Reply started = replies.stream().filter(r -> r.status() == 202).findFirst().orElseThrow();
        Http.Reply refused = replies.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
        assertEquals("rebuild-running", refused.json().get("code").asText(), refused::toString);
        String startedAt = started.json().get("startedAt").asText();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (String instance : instances) {
            while (true) {
                JsonNode seen = http.get(instance + "/projections/" + projection).json().get("rebuild");
                assertTrue(seen != null && !seen.isNull(), instance + " knows of the rebuild");
                String status = seen.get("status").asText();
                if (status.equals("DONE")) {
                    assertEquals(startedAt, seen.get("startedAt").asText(), () -> instance + " shows another rebuild: " + seen);
                    assertTrue(seen.get("applied").asLong() > 0, seen::toString);
                    break;
                }
                assertTrue(!status.equals("FAILED") && System.nanoTime() < deadline, seen::toString);
                Thread.sleep(200);
            }
        }
    }

    /** A reconciliation run on one instance is the report the other gives (not one of its own, older). */
    private void reconciliationSeenByBoth(ServiceProcess second) {
        Http.Reply ran = http.post(stack.projectionUrl() + "/reconciliation", "{}");
        assertEquals(200, ran.status(), ran::toString);
        Http.Reply seen = http.get(second.baseUrl() + "/reconciliation");
        assertEquals(200, seen.status(), seen::toString);
        assertTrue(!java.time.Instant.parse(seen.json().get("checkedAt").asText())
                        .isBefore(java.time.Instant.parse(ran.json().get("checkedAt").asText())),
                () -> "the second instance reports an older reconciliation: " + seen + " after " + ran);
    }

    private Map<String, String> settledChecksums() throws Exception {
        Map<String, String> previous = Map.of();
        for (int attempt = 0; attempt < 30; attempt++) {
            ReadModels.awaitIdle(http, stack);
            Map<String, String> now = ReadModels.checksums(stack);
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
            Thread.sleep(1_000);
        }
        throw new AssertionError("the read models never stopped moving");
    }

    private static void awaitLive(ServiceProcess process) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var live = java.net.http.HttpRequest.newBuilder(java.net.URI.create(process.baseUrl() + "/q/health/live")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertTrue(process.isAlive(), "the second instance died; see " + process.logFile());
            try {
                if (client.send(live, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "the second instance never came up; see " + process.logFile());
            Thread.sleep(300);
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start().waitFor());
    }

    private long parkedEventsOf(List<String> accounts) throws Exception {
        try (var db = DriverManager.getConnection(stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword());
             var select = db.prepareStatement("select count(*) from dead_letters where account_id = any(?)")) {
            select.setArray(1, db.createArrayOf("text", accounts.toArray()));
            try (var rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private String open() {
        String id = "two-" + UUID.randomUUID();
        assertEquals(201, http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"%s\",\"owner\":\"two\",\"currency\":\"USD\"}".formatted(id)).status());
        return id;
    }
}
