package dev.tally.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Topics;
import dev.tally.stack.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Looks at the read models from outside: checksums of every table, and waiting until projections are idle. */
final class ReadModels {

    /** Each read model table and the key that orders its rows. */
    private static final Map<String, String> TABLES = Map.of(
            "accounts", "account_id",
            "holds", "account_id, hold_id",
            "entries", "account_id, sequence",
            "account_history", "account_id, sequence",
            "daily_balances", "account_id, day",
            "transfers", "transfer_id",
            "audit_log", "event_id");

    private ReadModels() {
    }

    static Map<String, String> checksums(LocalStack stack) throws Exception {
        Map<String, String> sums = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword());
             Statement sql = db.createStatement()) {
            for (Map.Entry<String, String> table : TABLES.entrySet()) {
                try (ResultSet row = sql.executeQuery("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by "
                        + table.getValue() + ")), '') from " + table.getKey() + " t")) {
                    row.next();
                    sums.put(table.getKey(), row.getString(1));
                }
            }
        }
        return sums;
    }

    /** Waits until every projection is LIVE, owns every partition and has no lag, twice in a row (so nothing was still arriving). */
    static void awaitIdle(Http http, LocalStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int quietRounds = 0;
        while (quietRounds < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("projections never caught up: " + http.get(stack.projectionUrl() + "/projections"));
            }
            Http.Reply reply;
            try {
                reply = http.get(stack.projectionUrl() + "/projections");
            } catch (AssertionError notUpYet) {
                Thread.sleep(500);
                continue;
            }
            boolean idle = reply.status() == 200;
            if (idle) {
                for (JsonNode projection : reply.json()) {
                    // Every partition owned, too: a static member that left (a scaled-down or stopped
                    // second instance) keeps its partitions until its session times out, and this
                    // instance's zero lag says nothing about them.
                    idle &= projection.get("status").asText().equals("LIVE") && projection.get("lag").asLong() == 0
                            && projection.path("lags").size() == Topics.LEDGER_EVENTS.defaultPartitions();
                }
            }
            quietRounds = idle ? quietRounds + 1 : 0;
            Thread.sleep(700);
        }
    }
}
