package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.stack.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The read side checks itself: a row changed behind the projection's back is reported. */
class ReconciliationSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void a_balance_corrupted_behind_the_projections_back_is_reported_and_its_repair_clears_the_report() throws Exception {
        String id = "recon-" + UUID.randomUUID();
        assertEquals(201, http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"%s\",\"owner\":\"r\",\"currency\":\"USD\"}".formatted(id)).status());
        Http.Reply deposit = http.post(stack.commandUrl() + "/accounts/" + id + "/deposits", "{\"amount\":\"7.00\"}");
        String token = deposit.header("Consistency-Token");
        assertEquals(200, http.get(stack.queryUrl() + "/accounts/" + id, "Consistency-Token", token).status());
        assertEquals(200, http.get(stack.queryUrl() + "/accounts/" + id + "/entries", "Consistency-Token", token).status());
        assertEquals(200, http.get(stack.queryUrl() + "/accounts/" + id + "/balance", "Consistency-Token", token).status());

        assertTrue(offenders(check("balance-equals-entries")).doesNotContain(id));
        corruptBalance(id, +1);
        try {
            JsonNode check = check("balance-equals-entries");
            assertEquals("MISMATCH", check.get("outcome").asText(), check::toString);
            assertTrue(offenders(check).contains(id), check::toString);
            assertTrue(http.get(stack.projectionUrl() + "/q/metrics").body()
                    .matches("(?s).*tally_reconciliation_mismatches\\S* [1-9].*"), "the metric shows it");
        } finally {
            corruptBalance(id, -1);
        }
        assertTrue(offenders(check("balance-equals-entries")).doesNotContain(id));
    }

    @Test
    void lag_per_projection_and_partition_is_on_the_metrics_page() {
        String metrics = http.get(stack.projectionUrl() + "/q/metrics").body();

        assertTrue(metrics.contains("tally_projection_lag_events{"), "lag in events");
        assertTrue(metrics.contains("tally_projection_lag_seconds{"), "lag in seconds");
        assertTrue(metrics.matches("(?s).*tally_projection_lag_events\\{[^}]*partition=\"\\d+\"[^}]*projection=\"statements\".*"));
    }

    private JsonNode check(String name) {
        Http.Reply report = http.post(stack.projectionUrl() + "/reconciliation", "{}");
        assertEquals(200, report.status(), report::toString);
        for (JsonNode check : report.json().get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + report);
    }

    private static Offenders offenders(JsonNode check) {
        return new Offenders(check.get("mismatches").toString());
    }

    private record Offenders(String text) {
        boolean contains(String id) {
            return text.contains(id + ":");
        }

        boolean doesNotContain(String id) {
            return !contains(id);
        }
    }

    private void corruptBalance(String accountId, int delta) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword());
             PreparedStatement update = db.prepareStatement(
                     "update accounts set balance_minor = balance_minor + ? where account_id = ?")) {
            update.setInt(1, delta);
            update.setString(2, accountId);
            assertEquals(1, update.executeUpdate());
        }
    }
}
