package dev.tally.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook receiver on loopback, as a customer would run one: each test gets a path of its
 * own with a script (the status to answer to the n-th request, and how long to take), and reads
 * back every request it received, in the order received, with the Standard Webhooks headers.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Received(String path, String webhookId, String timestamp, String signature, String body, Instant at,
                    String traceparent) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + body, e);
            }
        }

        JsonNode data() {
            return json().get("data");
        }

        /**
         * The Standard Webhooks check, written from the specification and not from Tally's code:
         * HMAC-SHA256 with the base64-decoded part of whsec_…, over id.timestamp.body, base64, one
         * of the space-separated "v1,…" values; and a timestamp within five minutes.
         */
        boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
                byte[] expected = mac.doFinal((webhookId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
                boolean fresh = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 300;
                for (String candidate : signature.split(" ")) {
                    if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected,
                            Base64.getDecoder().decode(candidate.substring(3)))) {
                        return fresh;
                    }
                }
                return false;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    /** How a path answers: the status for the n-th request (1-based), after an optional delay. */
    record Script(IntUnaryOperator status, java.util.function.IntFunction<Duration> delay) {

        static Script ok() {
            return answering(n -> 200);
        }

        static Script answering(IntUnaryOperator status) {
            return new Script(status, n -> Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A fresh path answering as scripted; its URL. */
    String path(String name, Script script) {
        String path = "/" + name;
        scripts.put(path, script);
        received.put(path, java.util.Collections.synchronizedList(new ArrayList<>()));
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void script(String url, Script script) {
        scripts.put(pathOf(url), script);
    }

    List<Received> received(String url) {
        List<Received> all = received.get(pathOf(url));
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** Waits (at most {@code within}) until what the path received satisfies the condition; returns it. */
    List<Received> await(String url, Predicate<List<Received>> done, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            List<Received> now = received(url);
            if (done.test(now)) {
                return now;
            }
            Thread.sleep(50);
        }
        List<Received> last = received(url);
        throw new AssertionError("Within " + within + ", " + url + " received " + last.size() + " request(s): "
                + last.stream().map(r -> r.webhookId() + " " + r.body()).toList());
    }

    private static String pathOf(String url) {
        return url.substring(url.indexOf('/', "http://".length()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            List<Received> log = received.get(path);
            Script script = scripts.get(path);
            if (log == null || script == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            int n;
            synchronized (log) {
                log.add(new Received(path, exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"),
                        new String(body, StandardCharsets.UTF_8), Instant.now(),
                        exchange.getRequestHeaders().getFirst("traceparent")));
                n = log.size();
            }
            Duration delay = script.delay().apply(n);
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            exchange.sendResponseHeaders(script.status().applyAsInt(n), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
