package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** The read side: how fast the six projections keep up live, rebuild from the log, and what COPY does with the same rows. */
final class Projections {

    /** Projection name → its table (README: "What the read side does"). */
    static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("accounts", "accounts");
        TABLES.put("statements", "entries");
        TABLES.put("account-history", "account_history");
        TABLES.put("daily-balances", "daily_balances");
        TABLES.put("transfers", "transfers");
        TABLES.put("audit", "audit_log");
    }

    record Rebuild(String projection, String status, long applied, double seconds, double perSecond, long rows) {
    }

    record Copy(String table, long rows, long bytes, double seconds) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String projectionUrl;
    private final Optional<String> authorization;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final HttpClient http = HttpClient.newHttpClient();

    Projections(String projectionUrl, Optional<String> authorization, String jdbcUrl, String user, String password) {
        this.projectionUrl = projectionUrl;
        this.authorization = authorization;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** The other projection-service instances, whose partitions' lag counts too (see {@link #lags}). */
    private volatile List<String> otherInstances = List.of();

    /** Sets the further projection-service instances beside the first (scaling measure). */
    void alsoInstances(List<String> urls) {
        otherInstances = List.copyOf(urls);
    }

    /**
     * Each projection's lag in events (offsets), from {@code GET /projections}: summed over every
     * instance, since each reports the partitions its own consumers hold.
     */
    Map<String, Long> lags() {
        Map<String, Long> lags = new LinkedHashMap<>();
        for (JsonNode p : get(projectionUrl, "/projections")) {
            lags.put(p.path("name").asText(), p.path("lag").asLong());
        }
        for (String other : otherInstances) {
            for (JsonNode p : get(other, "/projections")) {
                lags.merge(p.path("name").asText(), p.path("lag").asLong(), Long::sum);
            }
        }
        return lags;
    }

    /**
     * Waits until every projection has no lag; returns, per projection, when it first got there
     * (nanoTime), or leaves it out if {@code timeout} passed first.
     */
    Map<String, Long> awaitCaughtUp(Duration timeout) throws InterruptedException {
        Map<String, Long> caughtUp = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Long> lags = lags();
            long now = System.nanoTime();
            lags.forEach((name, lag) -> {
                if (lag <= 0) {
                    caughtUp.putIfAbsent(name, now);
                }
            });
            if (caughtUp.keySet().containsAll(lags.keySet())) {
                break;
            }
            Thread.sleep(200);
        }
        return caughtUp;
    }

    /** A blue-green rebuild from offset 0, start to swap, as the projection service reports it. */
    Rebuild rebuild(String name, Duration timeout) throws Exception {
        HttpResponse<String> started = http.send(request("/projections/" + name + "/rebuild")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("rebuild of " + name + " refused: " + started.statusCode() + " " + started.body());
        }
        long begun = System.nanoTime();
        long deadline = begun + timeout.toNanos();
        JsonNode rebuild;
        do {
            Thread.sleep(100);
            rebuild = get("/projections/" + name).path("rebuild");
        } while (!List.of("DONE", "FAILED").contains(rebuild.path("status").asText()) && System.nanoTime() < deadline);
        double seconds = (System.nanoTime() - begun) / 1e9;
        if (rebuild.hasNonNull("startedAt") && rebuild.hasNonNull("finishedAt")) {
            seconds = Duration.between(Instant.parse(rebuild.get("startedAt").asText()),
                    Instant.parse(rebuild.get("finishedAt").asText())).toMillis() / 1000.0;
        }
        long applied = rebuild.path("applied").asLong();
        return new Rebuild(name, rebuild.path("status").asText("TIMED_OUT"), applied, seconds, applied / seconds,
                rows(TABLES.get(name)));
    }

    long rows(String table) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement(); var rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * PostgreSQL's bulk path for the same rows: the table copied out (binary), then timed while it is
     * copied into an empty table with the same columns, keys and indexes.
     */
    Copy copyBaseline(String table) throws Exception {
        try (Connection c = connect()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            copy.copyOut("COPY " + table + " TO STDOUT (FORMAT binary)", rows);
            String scratch = "tally_bench_copy_" + table;
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + scratch);
                s.execute("CREATE TABLE " + scratch + " (LIKE " + table + " INCLUDING ALL)");
            }
            long start = System.nanoTime();
            long copied = copy.copyIn("COPY " + scratch + " FROM STDIN (FORMAT binary)",
                    new ByteArrayInputStream(rows.toByteArray()));
            double seconds = (System.nanoTime() - start) / 1e9;
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + scratch);
            }
            return new Copy(table, copied, rows.size(), seconds);
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private JsonNode get(String path) {
        return get(projectionUrl, path);
    }

    private JsonNode get(String baseUrl, String path) {
        try {
            HttpResponse<String> response = http.send(request(baseUrl, path).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return request(projectionUrl, path);
    }

    private HttpRequest.Builder request(String baseUrl, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        authorization.ifPresent(a -> b.header("Authorization", a));
        return b;
    }
}
