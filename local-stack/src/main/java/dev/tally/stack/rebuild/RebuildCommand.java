package dev.tally.stack.rebuild;

import dev.tally.stack.auth.LocalKeys;
import dev.tally.stack.auth.LocalTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.stack.StackSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./run rebuild NAME}: starts a blue-green rebuild of one projection on the running stack and
 * draws its progress (events/s, ETA) until the new tables are swapped in.
 */
public final class RebuildCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BAR = 30;

    private RebuildCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ./run rebuild NAME   (names: GET localhost:8083/projections)");
            System.exit(2);
        }
        String name = args[0];
        StackSettings settings = StackSettings.fromEnvironment(System.getenv(),
                Path.of(System.getProperty("tally.root", ".")).toAbsolutePath());
        String base = "http://localhost:" + settings.projectionPort() + "/projections/" + name;
        HttpClient http = HttpClient.newHttpClient();
        // Rebuilds are an admin's job; the local stack's own key signs a short-lived admin token.
        String admin = "Bearer " + new LocalTokens(LocalKeys.ensure(settings.dataDir()))
                .mint("rebuild-command", List.of("admin"), java.time.Instant.now(), java.time.Duration.ofHours(1),
                        LocalKeys.ISSUER);
        try {
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/rebuild"))
                    .header("Authorization", admin).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                System.err.println("tally: " + JSON.readTree(started.body()).path("detail").asText(started.body()));
                System.exit(1);
            }
            boolean terminal = System.console() != null;
            while (true) {
                JsonNode rebuild = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base))
                                .header("Authorization", admin).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).path("rebuild");
                String line = line(name, rebuild);
                System.out.print(terminal ? "\r" + line : line + "\n");
                String status = rebuild.path("status").asText();
                if (status.equals("DONE") || status.equals("FAILED")) {
                    System.out.println();
                    if (status.equals("FAILED")) {
                        System.err.println("tally: " + rebuild.path("error").asText());
                        System.exit(1);
                    }
                    return;
                }
                Thread.sleep(terminal ? 250 : 2000);
            }
        } catch (IOException unreachable) {
            System.err.println("tally: the projection service does not answer at " + base + " (start it with ./run)");
            System.exit(1);
        }
    }

    static String line(String name, JsonNode rebuild) {
        long applied = rebuild.path("applied").asLong();
        long lag = Math.max(0, rebuild.path("lag").asLong());
        double done = applied + lag == 0 ? 1 : (double) applied / (applied + lag);
        int filled = (int) Math.round(done * BAR);
        String eta = rebuild.path("etaSeconds").isNumber()
                ? "ETA %.0f s".formatted(rebuild.path("etaSeconds").asDouble()) : "ETA -";
        return "%s [%s%s] %3.0f%% %,d events, %,.0f ev/s, %s, %s   ".formatted(name, "#".repeat(filled),
                ".".repeat(BAR - filled), done * 100, applied, rebuild.path("eventsPerSecond").asDouble(), eta,
                rebuild.path("status").asText());
    }
}
