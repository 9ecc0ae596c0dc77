package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.EventMeta;
import dev.tally.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, section 3: DESIGN decision 1 says the write model's stores can be deleted and rebuilt
 * from the events topic. Before the fix, losing the changelog and the local state brought accounts
 * back as never opened: they could be opened again at sequence 1, keys and transfer ids forgotten.
 */
class WriteModelStateLossSystemTest {

    private static final String APP = "tally-command-service";
    private static final List<String> CHANGELOGS = List.of(APP + "-accounts-changelog",
            APP + "-idempotency-keys-changelog", APP + "-transfers-changelog");

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void losing_the_changelogs_and_the_local_state_loses_no_account_key_or_transfer_id() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "lost-a-" + run;
        String b = "lost-b-" + run;
        for (String id : List.of(a, b)) {
            assertEquals(201, http.post(stack.commandUrl() + "/accounts",
                    "{\"accountId\":\"" + id + "\",\"owner\":\"o-" + run + "\",\"currency\":\"USD\"}").status());
        }
        String deposit = "{\"amount\":\"50.00\"}";
        Http.Reply first = http.post(stack.commandUrl() + "/accounts/" + a + "/deposits", deposit,
                "Idempotency-Key", "key-" + run);
        assertEquals(201, first.status(), first.body());
        String transfer = "{\"transferId\":\"tx-" + run + "\",\"fromAccountId\":\"" + a + "\",\"toAccountId\":\""
                + b + "\",\"amount\":\"20.00\"}";
        assertEquals(201, http.post(stack.commandUrl() + "/transfers", transfer).status());

        stack.killService(LocalStack.COMMAND_SERVICE);
        deleteChangelogs();
        deleteTree(stack.settings().dataDir().resolve(LocalStack.COMMAND_SERVICE).resolve("streams"));
        stack.startService(LocalStack.COMMAND_SERVICE);

        Http.Reply reopened = http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"" + a + "\",\"owner\":\"o-" + run + "\",\"currency\":\"USD\"}");
        assertEquals(409, reopened.status(), "the account is still open: " + reopened.body());
        Http.Reply replay = http.post(stack.commandUrl() + "/accounts/" + a + "/deposits", deposit,
                "Idempotency-Key", "key-" + run);
        assertEquals(201, replay.status(), replay.body());
        assertEquals("true", replay.header("Idempotent-Replayed"), "the key is remembered");
        assertTrue(replay.body().contains("\"balance\":\"50.00\""), "the first answer again: " + replay.body());
        Http.Reply again = http.post(stack.commandUrl() + "/transfers", transfer);
        assertEquals("true", again.header("Idempotent-Replayed"), "the transfer id is remembered: " + again.body());
        Http.Reply other = http.post(stack.commandUrl() + "/transfers", transfer.replace("20.00", "21.00"));
        assertEquals(409, other.status(), other.body());
        Http.Reply next = http.post(stack.commandUrl() + "/accounts/" + a + "/withdrawals", "{\"amount\":\"1.00\"}");
        assertEquals(201, next.status(), next.body());
        assertTrue(next.body().contains("\"balance\":\"29.00\""), "the balance survived: " + next.body());

        List<Long> sequences = LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), a).stream()
                .map(e -> ((EventMeta) e.get(0)).getSequence()).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequences,
                "opened, deposited, debited, transfer completed, withdrawn: one gapless sequence across the loss");
    }

    private void deleteChangelogs() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            admin.deleteTopics(CHANGELOGS.stream().filter(existing::contains).toList()).all().get(30, TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().anyMatch(CHANGELOGS::contains)) {
                assertTrue(System.currentTimeMillis() < deadline, "the changelogs were not deleted");
                Thread.sleep(200);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
