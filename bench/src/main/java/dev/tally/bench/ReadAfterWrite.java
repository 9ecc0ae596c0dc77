package dev.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A probe, not a load generator (the load comes from h2load): one write at a time, each followed at
 * once by a read of the same account with the write's Consistency-Token, then by the same read
 * without one. The read with the token waits for the projection; the one without shows what the read
 * costs anyway.
 */
final class ReadAfterWrite {

    /** {@code slowestPair}: the index of the slowest read with a token (0 = the first pair), with its time. */
    record Result(int pairs, int lagging, int failed, double withTokenP50, double withTokenP99,
                  double withoutTokenP50, double withoutTokenP99, int slowestPair, double slowestMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Target target;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ReadAfterWrite(Target target) {
        this.target = target;
    }

    Result run(List<String> accounts, Duration duration) throws Exception {
        List<Double> withToken = new ArrayList<>();
        List<Double> withoutToken = new ArrayList<>();
        int lagging = 0;
        int failed = 0;
        long end = System.nanoTime() + duration.toNanos();
        for (int i = 0; System.nanoTime() < end; i++) {
            String account = accounts.get(i % accounts.size());
            HttpRequest.Builder write = HttpRequest.newBuilder(URI.create(target.commandUrl + "/accounts/" + account
                            + "/deposits")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":\"1.00\",\"reference\":\"bench-raw\"}"));
            target.commandAuthorization().ifPresent(a -> write.header("Authorization", a));
            HttpResponse<String> written = http.send(write.build(), HttpResponse.BodyHandlers.ofString());
            if (written.statusCode() != 201) {
                failed++;
                continue;
            }
            String token = JSON.readTree(written.body()).path("consistencyToken").asText();
            long start = System.nanoTime();
            HttpResponse<String> read = http.send(read(account).header("Consistency-Token", token).build(),
                    HttpResponse.BodyHandlers.ofString());
            double ms = (System.nanoTime() - start) / 1e6;
            if (read.statusCode() == 503) {
                lagging++;
            } else if (read.statusCode() != 200) {
                failed++;
                continue;
            }
            withToken.add(ms);
            start = System.nanoTime();
            http.send(read(account).build(), HttpResponse.BodyHandlers.discarding());
            withoutToken.add((System.nanoTime() - start) / 1e6);
        }
        int slowest = 0;
        for (int i = 1; i < withToken.size(); i++) {
            if (withToken.get(i) > withToken.get(slowest)) {
                slowest = i;
            }
        }
        double[] w = withToken.stream().mapToDouble(Double::doubleValue).toArray();
        double[] wo = withoutToken.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(w.length, lagging, failed, Pgbench.percentile(w, 50), Pgbench.percentile(w, 99),
                Pgbench.percentile(wo, 50), Pgbench.percentile(wo, 99), slowest,
                withToken.isEmpty() ? 0 : withToken.get(slowest));
    }

    private HttpRequest.Builder read(String account) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.queryUrl + "/accounts/" + account)).GET();
        target.authorization().ifPresent(a -> b.header("Authorization", a));
        return b;
    }
}
