import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Tally webhook receiver with nothing but the JDK: verifies each delivery's Standard Webhooks
 * signature, refuses stale or forged ones, and handles each webhook-id once (Tally delivers at
 * least once: after a crash the same delivery may come again, always with the same webhook-id).
 *
 *   WEBHOOK_SECRET=whsec_... PORT=9000 java WebhookReceiver.java
 *
 * A real receiver keeps the ids it handled in its database, in the transaction that acts on them.
 */
public class WebhookReceiver {

    private static final long TOLERANCE_SECONDS = 5 * 60;
    private static final Set<String> HANDLED = ConcurrentHashMap.newKeySet();

    public static void main(String[] args) throws IOException {
        String secret = System.getenv("WEBHOOK_SECRET");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "9000"));
        if (secret == null || !secret.startsWith("whsec_")) {
            System.err.println("Set WEBHOOK_SECRET to the whsec_... secret POST /webhooks answered with");
            System.exit(2);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> handle(exchange, key));
        server.start();
        System.out.println("listening on http://127.0.0.1:" + port + "/");
    }

    private static void handle(HttpExchange exchange, byte[] key) throws IOException {
        try (exchange) {
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            byte[] body = exchange.getRequestBody().readAllBytes(); // the raw bytes: re-encoded JSON would not verify
            if (id == null || timestamp == null || signatures == null || !verified(key, id, timestamp, signatures, body)) {
                System.out.println("rejected " + id);
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            if (HANDLED.add(id)) {
                System.out.println("verified " + id + " " + new String(body, StandardCharsets.UTF_8));
            } else {
                System.out.println("duplicate " + id); // already handled: answer 2xx so it is not sent again
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    static boolean verified(byte[] key, String id, String timestamp, String signatures, byte[] body) {
        long sent;
        try {
            sent = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - sent) > TOLERANCE_SECONDS) {
            return false; // a replay of an old request
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // Several signatures while a secret is being rotated: any one that matches will do.
        for (String signature : signatures.split(" ")) {
            if (signature.startsWith("v1,")) {
                try {
                    if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                        return true;
                    }
                } catch (IllegalArgumentException notBase64) {
                    // try the next one
                }
            }
        }
        return false;
    }
}
