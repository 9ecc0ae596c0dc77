package dev.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook deliveries (issue 15): a receiver on loopback in this JVM answers 204 to every delivery
 * and notes when each event arrived; the latency of a delivery is its arrival minus the event's
 * {@code occurredAt} (the command's acceptance: one box, one clock). The baseline is the same
 * receiver called straight from this JVM, 16 requests at a time, with the same body.
 */
final class WebhookDeliveries implements AutoCloseable {

    record Result(long events, long delivered, long requests, double seconds, double perSecond, double p50Ms,
                  double p99Ms, double maxMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");

    private final HttpServer server;
    private final Map<String, Double> latencyMsById = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile long lastArrival;
    private volatile String sample = "{}";

    WebhookDeliveries() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Instant arrived = Instant.now();
                requests.incrementAndGet();
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                if (id != null) {
                    String text = new String(body, StandardCharsets.UTF_8);
                    Matcher timestamp = TIMESTAMP.matcher(text);
                    if (timestamp.find()) {
                        Instant occurred = Instant.parse(timestamp.group(1));
                        latencyMsById.putIfAbsent(id, Duration.between(occurred, arrived).toNanos() / 1e6);
                        lastArrival = System.nanoTime();
                        sample = text;
                    }
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    /** Forgets what arrived so far: the next {@link #await} counts from here. */
    void reset() {
        latencyMsById.clear();
        requests.set(0);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Subscribes this receiver to every FundsDeposited of the owner's accounts; returns the subscription's id. */
    String subscribe(String projectionUrl, Optional<String> authorization, String owner) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(projectionUrl + "/webhooks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "url", url(), "events", List.of("FundsDeposited"), "owner", owner))));
        authorization.ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> created = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("subscribing the bench receiver failed: " + created.statusCode() + " " + created.body());
        }
        return JSON.readTree(created.body()).get("id").asText();
    }

    static void unsubscribe(String projectionUrl, Optional<String> authorization, String id) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(projectionUrl + "/webhooks/" + id)).DELETE();
        authorization.ifPresent(a -> request.header("Authorization", a));
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Waits until {@code events} distinct deliveries arrived (or the timeout); the rate is from {@code firstSentNanos}. */
    Result await(long events, long firstSentNanos, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (latencyMsById.size() < events && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double[] latencies = latencyMsById.values().stream().mapToDouble(Double::doubleValue).toArray();
        java.util.Arrays.sort(latencies);
        double seconds = (lastArrival - firstSentNanos) / 1e9;
        return new Result(events, latencies.length, requests.get(), seconds, latencies.length / seconds,
                Pgbench.percentile(latencies, 50), Pgbench.percentile(latencies, 99),
                latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1]);
    }

    /** The baseline: this receiver called directly, {@code concurrency} at a time, for {@code duration}; requests/s. */
    double direct(int concurrency, Duration duration) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = sample;
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    try {
                        client.send(HttpRequest.newBuilder(URI.create(url())).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                        done.incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
