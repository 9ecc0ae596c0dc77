package dev.tally.stack.demo;

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
import java.util.UUID;

/**
 * {@code ./run demo}: the two stories Tally grew from, told against a running stack over HTTP.
 * Seed 000, a bank: two people deposit, one withdraws, is refused an overdraft, and receives a
 * transfer. Seed 002, a wallet: credits are granted and spent on a job launch; overspending is
 * refused. Every read goes to the query service with the consistency token of the last write.
 */
public final class LedgerDemo {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String commands;
    private final String queries;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private String lastToken;
    // The demo is a teller at the counter; it reads what it wrote as an auditor would.
    private final String teller;
    private final String reader;

    private LedgerDemo(StackSettings settings) {
        this.commands = "http://localhost:" + settings.commandPort();
        this.queries = "http://localhost:" + settings.queryPort();
        LocalTokens tokens = new LocalTokens(LocalKeys.ensure(settings.dataDir()));
        this.teller = "Bearer " + tokens.mint("demo-teller", List.of("teller"));
        this.reader = "Bearer " + tokens.mint("demo-auditor", List.of("auditor"));
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("tally.root", ".")).toAbsolutePath();
        LedgerDemo demo = new LedgerDemo(StackSettings.fromEnvironment(System.getenv(), root));
        try {
            demo.bank();
            demo.wallet();
        } catch (IOException unreachable) {
            System.err.println("tally: the stack does not answer at " + demo.commands + " (start it with ./run): "
                    + unreachable.getMessage());
            System.exit(1);
        }
    }

    private void bank() throws Exception {
        System.out.println("\nSeed 000 - a bank: Hayden and Megan");
        String hayden = "hayden-" + run;
        String megan = "megan-" + run;
        step("open " + hayden + " in USD", post("/accounts", "{\"accountId\":\"%s\",\"owner\":\"Hayden Panettiere\",\"currency\":\"USD\"}".formatted(hayden)));
        step("open " + megan + " in USD", post("/accounts", "{\"accountId\":\"%s\",\"owner\":\"Megan Fox\",\"currency\":\"USD\"}".formatted(megan)));
        step("Hayden deposits 24.72", post("/accounts/" + hayden + "/deposits", "{\"amount\":\"24.72\",\"reference\":\"salary\"}"));
        step("Megan deposits 25.14", post("/accounts/" + megan + "/deposits", "{\"amount\":\"25.14\",\"reference\":\"salary\"}"));
        step("Hayden withdraws 20.00", post("/accounts/" + hayden + "/withdrawals", "{\"amount\":\"20.00\"}"));
        step("Hayden tries to withdraw 20.00 again", post("/accounts/" + hayden + "/withdrawals", "{\"amount\":\"20.00\"}"));
        step("Megan transfers 10.00 to Hayden", post("/transfers",
                "{\"fromAccountId\":\"%s\",\"toAccountId\":\"%s\",\"amount\":\"10.00\",\"reference\":\"lunch\"}".formatted(megan, hayden)));
        balance("Hayden", hayden);
        balance("Megan", megan);
        statement(hayden);
    }

    private void wallet() throws Exception {
        System.out.println("\nSeed 002 - a wallet of credits");
        String wallet = "wallet-" + run;
        step("open " + wallet + " in CREDITS", post("/accounts", "{\"accountId\":\"%s\",\"owner\":\"sam\",\"currency\":\"CREDITS\"}".formatted(wallet)));
        step("grant 1 credit", post("/accounts/" + wallet + "/deposits", "{\"amount\":\"1\",\"metadata\":{\"type\":\"grant\"}}"));
        String jobId = UUID.randomUUID().toString();
        step("spend 1 credit on a job launch", post("/accounts/" + wallet + "/withdrawals",
                "{\"amount\":\"1\",\"metadata\":{\"type\":\"jobLaunch\",\"jobId\":\"%s\"}}".formatted(jobId)));
        step("spend 1 more credit (there is none)", post("/accounts/" + wallet + "/withdrawals",
                "{\"amount\":\"1\",\"metadata\":{\"type\":\"jobLaunch\",\"jobId\":\"%s\"}}".formatted(UUID.randomUUID())));
        step("grant half a credit", post("/accounts/" + wallet + "/deposits", "{\"amount\":\"0.5\"}"));
        balance("The wallet", wallet);
        statement(wallet);
    }

    private void step(String what, HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        String outcome;
        if (response.statusCode() < 300) {
            lastToken = response.headers().firstValue("Consistency-Token").orElse(lastToken);
            outcome = body.has("balance") ? "balance " + body.get("balance").asText()
                    : body.has("status") ? body.get("status").asText() : "done";
        } else {
            outcome = "refused: " + body.path("code").asText() + " (" + body.path("detail").asText() + ")";
        }
        System.out.printf("  %-40s %d  %s%n", what, response.statusCode(), outcome);
    }

    private void balance(String who, String accountId) throws Exception {
        JsonNode account = JSON.readTree(get("/accounts/" + accountId).body());
        System.out.printf("  %-40s      %s %s (version %s)%n", who + " has", account.path("balance").asText(),
                account.path("currency").asText(), account.path("version").asText());
    }

    private void statement(String accountId) throws Exception {
        System.out.println("  statement of " + accountId + ":");
        for (JsonNode entry : JSON.readTree(get("/accounts/" + accountId + "/entries").body()).path("items")) {
            System.out.printf("    #%-3s %-16s %10s  -> %10s  %s%n", entry.path("sequence").asText(),
                    entry.path("type").asText(), entry.path("amount").asText(), entry.path("balanceAfter").asText(),
                    entry.path("metadata").isEmpty() ? entry.path("reference").asText("") : entry.path("metadata"));
        }
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(commands + path)).header("Content-Type", "application/json")
                .header("Authorization", teller).header("Actor", "demo").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(queries + path)).header("Authorization", reader);
        if (lastToken != null) {
            request.header("Consistency-Token", lastToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
