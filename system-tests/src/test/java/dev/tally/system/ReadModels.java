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
            "statement_totals", "account_id",
            "history_counts", "account_id",
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

    /** Every row of every read model table, by table and then by its ordering key, as text: to name what differs. */
    static Map<String, Map<String, String>> rows(LocalStack stack) throws Exception {
        Map<String, Map<String, String>> tables = new java.util.TreeMap<>();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword());
             Statement sql = db.createStatement()) {
            for (Map.Entry<String, String> table : TABLES.entrySet()) {
                Map<String, String> rows = new java.util.TreeMap<>();
                try (ResultSet row = sql.executeQuery("select (" + table.getValue().replace(", ", "::text || ' ' || ")
                        + "::text) as k, t::text from " + table.getKey() + " t")) {
                    while (row.next()) {
                        rows.put(row.getString(1), row.getString(2));
                    }
                }
                tables.put(table.getKey(), rows);
            }
        }
        return tables;
    }

    /** The first few rows that differ between two {@link #rows} snapshots, table by table. */
    static String differences(Map<String, Map<String, String>> before, Map<String, Map<String, String>> after) {
        StringBuilder text = new StringBuilder();
        for (String table : before.keySet()) {
            java.util.Set<String> keys = new java.util.TreeSet<>(before.get(table).keySet());
            keys.addAll(after.getOrDefault(table, Map.of()).keySet());
            keys.stream().filter(k -> !java.util.Objects.equals(before.get(table).get(k),
                            after.getOrDefault(table, Map.of()).get(k))).limit(3)
                    .forEach(k -> text.append("\n").append(table).append(' ').append(k).append("\n  before ")
                            .append(before.get(table).get(k)).append("\n  after  ")
                            .append(after.getOrDefault(table, Map.of()).get(k)));
        }
        return text.toString();
    }

    /** Waits until every projection is LIVE, owns every partition and has no lag, twice in a row (so nothing was still arriving). */
    static void awaitIdle(Http http, LocalStack stack) throws InterruptedException {
        awaitIdle(http, java.util.List.of(stack.projectionUrl()));
    }

    /**
     * The same over several projection-service instances: each reports the partitions its consumers
     * hold, so every partition must be held by one of them, with every projection LIVE and no lag.
     */
    static void awaitIdle(Http http, java.util.List<String> projectionUrls) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int quietRounds = 0;
        while (quietRounds < 2) {
            if (System.nanoTime() > deadline) {
                StringBuilder seen = new StringBuilder("projections never caught up:");
                for (String url : projectionUrls) {
                    seen.append("\n").append(url).append(": ").append(http.get(url + "/projections"));
                }
                throw new AssertionError(seen.toString());
            }
            boolean idle = true;
            Map<String, java.util.Set<String>> held = new LinkedHashMap<>();
            for (String url : projectionUrls) {
                Http.Reply reply;
                try {
                    reply = http.get(url + "/projections");
                } catch (AssertionError notUpYet) {
                    idle = false;
                    continue;
                }
                idle &= reply.status() == 200;
                if (reply.status() != 200) {
                    continue;
                }
                for (JsonNode projection : reply.json()) {
                    idle &= projection.get("status").asText().equals("LIVE") && projection.get("lag").asLong() == 0;
                    projection.path("lags").fieldNames().forEachRemaining(partition -> held
                            .computeIfAbsent(projection.get("name").asText(), k -> new java.util.HashSet<>()).add(partition));
                }
            }
            // Every partition held, too: a static member that left (a scaled-down or stopped instance)
            // keeps its partitions until its session times out, and the others' zero lag says nothing about them.
            idle &= !held.isEmpty() && held.values().stream().allMatch(p -> p.size() == Topics.LEDGER_EVENTS.defaultPartitions());
            quietRounds = idle ? quietRounds + 1 : 0;
            Thread.sleep(idle ? 700 : 500);
        }
    }
}
