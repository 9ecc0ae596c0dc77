package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.stack.LocalStack;
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
 * DESIGN decision 5: the projection service killed with SIGKILL ten times while events flow. Its
 * read models must then equal a replay from scratch (a rebuild from offset 0): nothing applied
 * twice, nothing lost.
 */
class ProjectionCrashSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void ten_crashes_of_the_projection_service_leave_read_models_equal_to_a_replay_from_scratch() throws Exception {
        List<String> accounts = List.of(open(), open(), open(), open());
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

        for (int crash = 0; crash < 10; crash++) {
            Thread.sleep(ThreadLocalRandom.current().nextInt(200, 800));
            stack.killService(LocalStack.PROJECTION_SERVICE);
            stack.startService(LocalStack.PROJECTION_SERVICE);
        }
        writing.set(false);
        writer.shutdown();
        assertTrue(writer.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(written.get() > 20, "events flowed during the crashes: " + written.get());

        ReadModels.awaitIdle(http, stack);
        Map<String, String> afterCrashes = ReadModels.checksums(stack);
        Map<String, Map<String, String>> rowsAfterCrashes = ReadModels.rows(stack);
        RebuildSystemTest.rebuildAll(http, stack);
        assertEquals(afterCrashes, ReadModels.checksums(stack), () -> "the crashed projections equal a replay from scratch:"
                + ReadModels.differences(rowsAfterCrashes, rowsNow()));
        Http.Reply reconciliation = http.post(stack.projectionUrl() + "/reconciliation", "{}");
        assertEquals("OK", reconciliation.json().get("status").asText(), reconciliation::toString);
    }

    private Map<String, Map<String, String>> rowsNow() {
        try {
            return ReadModels.rows(stack);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String open() {
        String id = "pc-" + UUID.randomUUID();
        assertEquals(201, http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"%s\",\"owner\":\"pc\",\"currency\":\"USD\"}".formatted(id)).status());
        return id;
    }
}
