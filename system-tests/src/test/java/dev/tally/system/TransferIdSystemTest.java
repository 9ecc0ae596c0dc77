package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.TransferDebited;
import dev.tally.stack.LocalStack;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, section 1, over HTTP exactly as the new user tried it: one transfer id moved money three
 * times (no key, then a new Idempotency-Key each time) and GET /transfers showed the last request.
 */
class TransferIdSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void one_transfer_id_moves_money_once_whatever_the_headers_or_the_source() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "tid-a-" + run;
        String b = "tid-b-" + run;
        String c = "tid-c-" + run;
        for (String id : List.of(a, b, c)) {
            http.openAccount(stack.commandUrl(), id);
        }
        http.deposit(stack.commandUrl(), a, "100.00");
        http.deposit(stack.commandUrl(), c, "100.00");
        String tx = "tx-" + run;
        String body = "{\"transferId\":\"" + tx + "\",\"fromAccountId\":\"" + a + "\",\"toAccountId\":\"" + b
                + "\",\"amount\":\"10.00\"}";

        Http.Reply first = http.post(stack.commandUrl() + "/transfers", body);
        assertEquals(201, first.status(), first.body());
        assertNull(first.header("Idempotent-Replayed"));
        String requestedAt = first.json().get("requestedAt").asText();

        for (String[] headers : List.of(new String[0], new String[] {"Idempotency-Key", "k1-" + run},
                new String[] {"Idempotency-Key", "k2-" + run})) {
            Http.Reply again = http.post(stack.commandUrl() + "/transfers", body, headers);
            assertEquals(201, again.status(), "the current outcome, replayed: " + again.body());
            assertEquals("true", again.header("Idempotent-Replayed"));
            assertEquals("COMPLETED", again.json().get("status").asText());
            assertEquals(requestedAt, again.json().get("requestedAt").asText());
            assertNotNull(again.header("Consistency-Token"));
        }
        Http.Reply fromAnotherSource = http.post(stack.commandUrl() + "/transfers", body.replace(a, c));
        assertEquals(409, fromAnotherSource.status(), fromAnotherSource.body());
        assertEquals("transfer-exists", fromAnotherSource.json().get("code").asText());
        assertTrue(fromAnotherSource.json().get("detail").asText().contains(tx), "names the id");
        assertEquals("application/problem+json", fromAnotherSource.header("Content-Type"));

        String token = first.header("Consistency-Token");
        assertEquals("90.00", http.get(stack.queryUrl() + "/accounts/" + a, "Consistency-Token", token).json()
                .get("balance").asText());
        assertEquals("10.00", http.get(stack.queryUrl() + "/accounts/" + b, "Consistency-Token", token).json()
                .get("balance").asText());
        assertEquals("100.00", http.get(stack.queryUrl() + "/accounts/" + c).json().get("balance").asText());
        Http.Reply transfer = http.get(stack.queryUrl() + "/transfers/" + tx, "Consistency-Token", token);
        // PostgreSQL keeps microseconds.
        assertEquals(java.time.Instant.parse(requestedAt).truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                java.time.Instant.parse(transfer.json().get("requestedAt").asText()), "the first request's time");
        long debits = LedgerLog.readAll(stack.bootstrapServers()).stream()
                .filter(e -> e instanceof TransferDebited d && d.getTransferId().equals(tx)).count();
        assertEquals(1, debits, "one debit on the log, ever");
    }

    @Test
    void an_idempotency_key_without_a_transfer_id_replays_the_same_transfer() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "tik-a-" + run;
        String b = "tik-b-" + run;
        http.openAccount(stack.commandUrl(), a);
        http.openAccount(stack.commandUrl(), b);
        http.deposit(stack.commandUrl(), a, "50.00");
        String body = "{\"fromAccountId\":\"" + a + "\",\"toAccountId\":\"" + b + "\",\"amount\":\"5.00\"}";

        Http.Reply first = http.post(stack.commandUrl() + "/transfers", body, "Idempotency-Key", "key-" + run);
        Http.Reply again = http.post(stack.commandUrl() + "/transfers", body, "Idempotency-Key", "key-" + run);
        Http.Reply other = http.post(stack.commandUrl() + "/transfers", body.replace("5.00", "6.00"),
                "Idempotency-Key", "key-" + run);

        assertEquals(201, first.status(), first.body());
        assertEquals(201, again.status(), "not idempotency-key-reused: " + again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.json().get("transferId").asText(), again.json().get("transferId").asText());
        assertEquals(422, other.status(), other.body());
        assertEquals("idempotency-key-reused", other.json().get("code").asText());
    }
}
