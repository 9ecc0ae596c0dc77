package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.stack.LocalStack;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DESIGN decisions 1 and 6 for the read side: every read model can be rebuilt from the events topic
 * into fresh tables and swapped in, and the rebuilt tables equal the live ones row for row.
 */
class RebuildSystemTest {

    static final List<String> PROJECTIONS = List.of("accounts", "statements", "account-history", "daily-balances",
            "transfers", "audit");

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void every_projection_rebuilt_from_offset_zero_equals_the_live_one() throws Exception {
        someActivity();
        ReadModels.awaitIdle(http, stack);
        Map<String, String> live = ReadModels.checksums(stack);

        rebuildAll(http, stack);

        assertEquals(live, ReadModels.checksums(stack));
        // Dashboards see it too: the rebuild applied events, is no longer running, has nothing left.
        String metrics = http.get(stack.projectionUrl() + "/q/metrics").body();
        assertTrue(Metrics.value(metrics, "tally_rebuild_applied", "accounts") > 0, "tally_rebuild_applied");
        assertEquals(0.0, Metrics.value(metrics, "tally_rebuild_running", "accounts"));
        assertEquals(0.0, Metrics.value(metrics, "tally_rebuild_lag_events", "accounts"));
    }

    @Test
    void a_rebuild_reports_progress_and_an_unknown_projection_is_a_404() {
        assertEquals(404, http.post(stack.projectionUrl() + "/projections/nope/rebuild", "").status());
    }

    static void rebuildAll(Http http, LocalStack stack) throws InterruptedException {
        for (String name : PROJECTIONS) {
            Http.Reply started = http.post(stack.projectionUrl() + "/projections/" + name + "/rebuild", "");
            assertEquals(202, started.status(), started::toString);
        }
        // No deadline here: a rebuild that hangs is caught by the callers' @Timeout, a hang guard, not a speed check.
        for (String name : PROJECTIONS) {
            while (true) {
                JsonNode rebuild = http.get(stack.projectionUrl() + "/projections/" + name).json().get("rebuild");
                String status = rebuild.get("status").asText();
                if (status.equals("DONE")) {
                    assertTrue(rebuild.get("applied").asLong() > 0, rebuild::toString);
                    break;
                }
                assertNotEquals("FAILED", status, rebuild::toString);
                Thread.sleep(200);
            }
        }
    }

    private void someActivity() {
        String a = "rb-" + UUID.randomUUID();
        String b = "rb-" + UUID.randomUUID();
        for (String id : List.of(a, b)) {
            assertEquals(201, http.post(stack.commandUrl() + "/accounts",
                    "{\"accountId\":\"%s\",\"owner\":\"rb\",\"currency\":\"USD\"}".formatted(id)).status());
        }
        http.post(stack.commandUrl() + "/accounts/" + a + "/deposits", "{\"amount\":\"100.00\"}");
        for (int i = 0; i < 10; i++) {
            http.post(stack.commandUrl() + "/transfers",
                    "{\"fromAccountId\":\"%s\",\"toAccountId\":\"%s\",\"amount\":\"1.00\"}".formatted(a, b));
        }
        // A forgotten subject: the rebuilt rows must be erased as the live ones are (issue 16).
        String owner = "rb-forgotten-" + UUID.randomUUID();
        String c = "rb-" + UUID.randomUUID();
        assertEquals(201, http.post(stack.commandUrl() + "/accounts", ("{\"accountId\":\"%s\",\"owner\":\"%s\","
                + "\"currency\":\"USD\",\"metadata\":{\"name\":\"Rebuilt Person\"}}").formatted(c, owner)).status());
        assertEquals(201, http.post(stack.commandUrl() + "/accounts/" + c + "/deposits",
                "{\"amount\":\"5.00\",\"reference\":\"rebuilt reference\"}").status());
        assertEquals(200, http.post(stack.commandUrl() + "/subjects/" + owner + "/forget", "{}").status());
    }
}
