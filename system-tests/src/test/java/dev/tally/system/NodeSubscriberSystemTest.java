package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.stack.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * A subscriber in another language follows the ledger with only the {@code .avsc} files: the Node.js
 * example ({@code examples/node-subscriber}, library {@code avsc}) checks a log recorded from the
 * running stack. Needs {@code node} (18+) and {@code npm} on the PATH; without them the test is
 * skipped, saying so. It installs the example's npm dependencies ({@code npm ci}) when they are missing.
 */
class NodeSubscriberSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of(System.getProperty("tally.repository.root", ".."))
            .resolve("examples/node-subscriber").toAbsolutePath().normalize();

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void a_node_subscriber_decodes_the_recorded_log_and_finds_sequences_and_money_adding_up() throws Exception {
        assumeTrue(runs("node", "--version") && runs("npm", "--version"), "node and npm are not on the PATH");
        installDependencies();
        String run = "node-" + UUID.randomUUID().toString().substring(0, 8);
        String a = run + "-a", b = run + "-b", c = run + "-c", d = run + "-d";
        open(a, "USD", "0.00");
        open(b, "USD", "0.00");
        open(c, "EUR", "0.00");
        open(d, "USD", "50.00");
        command("/accounts/" + a + "/deposits", "{\"amount\":\"100.00\"}", 201);
        command("/accounts/" + b + "/deposits", "{\"amount\":\"20.00\"}", 201);
        command("/accounts/" + c + "/deposits", "{\"amount\":\"5.00\"}", 201);
        command("/accounts/" + a + "/withdrawals", "{\"amount\":\"30.00\"}", 201);
        // -1 minor unit: a real balance, which is why "unknown" can never be spelled -1
        command("/accounts/" + d + "/withdrawals", "{\"amount\":\"0.01\"}", 201);
        transfer(run + "-t1", a, b, "10.00");
        transfer(run + "-t2", a, run + "-ghost", "5.00"); // refunded: the target does not exist
        transfer(run + "-t3", b, a, "3.00");
        command("/accounts/" + b + "/freeze", "{\"reason\":\"check\"}", 200);
        command("/accounts/" + b + "/unfreeze", "{}", 200);

        // a: opened, deposited, withdrawn, debited, completed, debited, refunded, credited; b: opened,
        // deposited, credited, debited, completed, frozen, unfrozen; c: opened, deposited; d: opened, withdrawn
        List<ConsumerRecord<String, byte[]>> recorded = recordedUntil(Set.of(a, b, c, d), 19);
        Path log = Files.createDirectories(Path.of("target", "node-subscriber")).resolve(run + ".jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < recorded.size(); i++) {
            // Every third record without its headers: such records exist, and a reader must not need them.
            lines.add(line(recorded.get(i), i % 3 != 2));
        }
        // A type from the future, which a subscriber built today skips by its header without decoding it.
        lines.add(JSON.writeValueAsString(JSON.createObjectNode().put("partition", 0).put("offset", Long.MAX_VALUE)
                .put("key", a).put("value", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, 1, 9, 9}))
                .set("headers", JSON.createObjectNode().put("tally.event-type", "CreditsExpired"))));
        Files.write(log, lines);

        Result result = node(log);
        assertEquals(0, result.exit(), result::toString);
        JsonNode summary = JSON.readTree(result.stdout());
        assertEquals(19, summary.get("events").asInt(), result::toString);
        assertEquals(1, summary.get("skipped").asInt(), result::toString);
        assertTrue(summary.get("withoutHeaders").asInt() >= 6, result::toString);
        JsonNode usd = summary.at("/currencies/USD");
        assertEquals("12000", usd.get("deposits").asText(), result::toString);
        assertEquals("3001", usd.get("withdrawals").asText(), result::toString);
        assertEquals("0", usd.get("inFlight").asText(), result::toString);
        assertEquals("8999", usd.get("balances").asText(), "6300 + 2700 - 1: " + result);
        assertEquals("500", summary.at("/currencies/EUR/balances").asText(), result::toString);

        // The checker can say no: the same log with one of a's events missing has a gap.
        List<String> gap = new ArrayList<>(lines);
        gap.remove(lines.stream().filter(l -> l.contains("\"key\":\"" + a + "\"")).skip(2).findFirst().orElseThrow());
        Path broken = log.resolveSibling(run + "-gap.jsonl");
        Files.write(broken, gap);
        Result refused = node(broken);
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.stderr().contains(a + " jumps from sequence 2 to 4"), refused::toString);
    }

    @Test
    void a_node_subscriber_reads_every_released_version_as_java_wrote_it() throws Exception {
        assumeTrue(runs("node", "--version") && runs("npm", "--version"), "node and npm are not on the PATH");
        installDependencies();

        Result result = run(List.of("node", EXAMPLE.resolve("check-golden.mjs").toString()));

        assertEquals(0, result.exit(), result::toString);
        assertTrue(JSON.readTree(result.stdout()).get("fixtures").asInt() >= 11, result::toString);
    }

    private void open(String id, String currency, String overdraft) {
        command("/accounts", "{\"accountId\":\"%s\",\"owner\":\"node\",\"currency\":\"%s\",\"overdraftLimit\":\"%s\"}"
                .formatted(id, currency, overdraft), 201);
    }

    private void command(String path, String body, int expected) {
        Http.Reply reply = http.post(stack.commandUrl() + path, body);
        assertEquals(expected, reply.status(), () -> path + ": " + reply);
    }

    private void transfer(String id, String from, String to, String amount) {
        Http.Reply reply = http.post(stack.commandUrl() + "/transfers",
                "{\"transferId\":\"%s\",\"fromAccountId\":\"%s\",\"toAccountId\":\"%s\",\"amount\":\"%s\"}"
                        .formatted(id, from, to, amount));
        assertTrue(Set.of(201, 202, 422).contains(reply.status()), reply::toString);
    }

    /** The topic's records of these accounts, once there are {@code expected} of them (sagas settle after the answer). */
    private List<ConsumerRecord<String, byte[]>> recordedUntil(Set<String> accounts, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<ConsumerRecord<String, byte[]>> mine = LedgerLog.records(stack.bootstrapServers()).stream()
                    .filter(r -> accounts.contains(r.key())).toList();
            if (mine.size() >= expected || System.nanoTime() > deadline) {
                assertEquals(expected, mine.size(), "events of " + accounts + " on the topic");
                return mine;
            }
            Thread.sleep(200);
        }
    }

    private static String line(ConsumerRecord<String, byte[]> record, boolean withHeaders) throws IOException {
        ObjectNode headers = JSON.createObjectNode();
        if (withHeaders) {
            for (Header header : record.headers()) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        ObjectNode line = JSON.createObjectNode().put("partition", record.partition()).put("offset", record.offset())
                .put("key", record.key()).put("value", Base64.getEncoder().encodeToString(record.value()));
        line.set("headers", headers);
        return JSON.writeValueAsString(line);
    }

    private static void installDependencies() throws Exception {
        if (Files.isDirectory(EXAMPLE.resolve("node_modules/avsc"))) {
            return;
        }
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"));
        assertEquals(0, install.exit(), "npm ci in examples/node-subscriber: " + install);
    }

    private static Result node(Path log) throws Exception {
        return run(List.of("node", EXAMPLE.resolve("check-log.mjs").toString(), log.toAbsolutePath().toString()));
    }

    private static boolean runs(String... command) {
        try {
            return run(List.of(command)).exit() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result run(List<String> command) throws Exception {
        Path out = Files.createTempFile("node-subscriber", ".out");
        Path err = Files.createTempFile("node-subscriber", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(EXAMPLE.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 3 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
