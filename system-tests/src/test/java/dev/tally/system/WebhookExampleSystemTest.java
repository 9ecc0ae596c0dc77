package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.stack.LocalStack;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's receiver (examples/webhook-receiver/WebhookReceiver.java) run as the README says,
 * against the test stack: it verifies a real delivery and refuses a forged one.
 */
class WebhookExampleSystemTest {

    private static final Path ROOT = Path.of(System.getProperty("tally.repository.root", "..")).toAbsolutePath().normalize();
    private final LocalStack stack = SharedStack.get();
    private final Http admin = new Http();

    @Test
    void the_example_receiver_verifies_a_real_delivery_and_refuses_a_forged_one() throws Exception {
        String owner = "wh-example-" + UUID.randomUUID();
        String account = "wh-example-" + UUID.randomUUID();
        assertEquals(201, admin.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"%s\",\"owner\":\"%s\",\"currency\":\"USD\"}".formatted(account, owner)).status());
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Http.Reply subscribed = admin.post(stack.projectionUrl() + "/webhooks",
                "{\"url\":\"http://127.0.0.1:%d/\",\"events\":[\"FundsDeposited\"],\"owner\":\"%s\"}".formatted(port, owner));
        assertEquals(201, subscribed.status(), subscribed::toString);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ROOT.resolve("examples/webhook-receiver/WebhookReceiver.java").toString()).redirectErrorStream(true);
        builder.environment().put("WEBHOOK_SECRET", subscribed.json().get("secret").asText());
        builder.environment().put("PORT", String.valueOf(port));
        Process receiver = builder.start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))
                    .lines().forEach(lines::add));
            assertTrue(next(lines, "listening").startsWith("listening"));

            admin.deposit(stack.commandUrl(), account, "12.34");
            String verified = next(lines, "verified");
            assertTrue(verified.contains("\"amount\":\"12.34\"") && verified.contains(account), verified);

            HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("webhook-id", "msg_forged").header("webhook-timestamp", String.valueOf(Instant.now().getEpochSecond()))
                    .header("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"FundsDeposited\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, forged.statusCode());
            assertEquals("rejected msg_forged", next(lines, "rejected"));
        } finally {
            receiver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> skipped = new java.util.ArrayList<>();
        while (System.nanoTime() < until) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line != null) {
                skipped.add(line);
            }
        }
        throw new AssertionError("the receiver never printed '" + prefix + "'; it printed " + skipped);
    }
}
