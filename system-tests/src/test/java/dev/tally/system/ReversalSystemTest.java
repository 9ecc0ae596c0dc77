package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.stack.LocalStack;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Reversals over HTTP (issue 14, section 3): a completed transfer moves back as new linked
 * transfers, never more than it moved, not even when many reversals arrive at once.
 */
class ReversalSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void a_transfer_is_reversed_by_new_linked_transfers_and_never_beyond_what_it_moved() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "rev-a-" + run;
        String b = "rev-b-" + run;
        http.openAccount(stack.commandUrl(), a);
        http.openAccount(stack.commandUrl(), b);
        http.deposit(stack.commandUrl(), a, "100.00");
        String original = "orig-" + run;
        Http.Reply moved = http.post(stack.commandUrl() + "/transfers", "{\"transferId\":\"" + original
                + "\",\"fromAccountId\":\"" + a + "\",\"toAccountId\":\"" + b + "\",\"amount\":\"60.00\"}");
        assertEquals(201, moved.status(), moved.body());

        Http.Reply customer = Http.as("o", "customer").post(reverse(original), "{\"reason\":\"mine\"}");
        assertEquals(403, customer.status(), "a customer cannot pull money back: " + customer.body());
        Http.Reply noReason = http.post(reverse(original), "{\"amount\":\"1.00\"}");
        assertEquals(400, noReason.status(), noReason.body());

        Http.Reply reversed = http.post(reverse(original), "{\"reversalId\":\"r1-" + run
                + "\",\"amount\":\"20.00\",\"reason\":\"refund\"}");
        assertEquals(201, reversed.status(), reversed.body());
        assertEquals("COMPLETED", reversed.json().get("status").asText());
        assertEquals(original, reversed.json().get("reversalOf").asText());
        assertEquals(b, reversed.json().get("fromAccountId").asText());
        assertEquals("/transfers/r1-" + run, reversed.header("Location"));
        Http.Reply again = http.post(reverse(original), "{\"reversalId\":\"r1-" + run
                + "\",\"amount\":\"20.00\",\"reason\":\"refund\"}");
        assertEquals(201, again.status(), again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));

        Http.Reply tooMuch = http.post(reverse(original), "{\"amount\":\"40.01\",\"reason\":\"refund\"}");
        assertEquals(422, tooMuch.status(), tooMuch.body());
        assertEquals("transfer-not-reversible", tooMuch.json().get("code").asText());
        Http.Reply missing = http.post(reverse("never-" + run), "{\"reason\":\"refund\"}");
        assertEquals(404, missing.status(), missing.body());
        assertEquals("transfer-not-found", missing.json().get("code").asText());

        List<SpecificRecord> log = LedgerLog.readAll(stack.bootstrapServers());
        TransferDebited back = LedgerLog.of(log, b).stream().filter(TransferDebited.class::isInstance)
                .map(TransferDebited.class::cast).findFirst().orElseThrow();
        assertEquals(original, back.getReversalOf());
        assertEquals(2_000, back.getAmountMinor());
        TransferCredited credit = LedgerLog.of(log, a).stream().filter(TransferCredited.class::isInstance)
                .map(TransferCredited.class::cast).findFirst().orElseThrow();
        assertEquals(original, credit.getReversalOf());
    }

    @Test
    void many_reversals_at_once_move_back_at_most_what_the_transfer_moved() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "revc-a-" + run;
        String b = "revc-b-" + run;
        http.openAccount(stack.commandUrl(), a);
        http.openAccount(stack.commandUrl(), b);
        http.deposit(stack.commandUrl(), a, "100.00");
        http.deposit(stack.commandUrl(), b, "500.00"); // b could pay far more than the transfer moved
        String original = "origc-" + run;
        assertEquals(201, http.post(stack.commandUrl() + "/transfers", "{\"transferId\":\"" + original
                + "\",\"fromAccountId\":\"" + a + "\",\"toAccountId\":\"" + b + "\",\"amount\":\"60.00\"}").status());

        ExecutorService clients = Executors.newFixedThreadPool(10);
        List<Future<Http.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            replies.add(clients.submit(() -> http.post(reverse(original), "{\"reversalId\":\"rc" + n + "-" + run
                    + "\",\"amount\":\"10.00\",\"reason\":\"refund\"}")));
        }
        int completed = 0;
        for (Future<Http.Reply> reply : replies) {
            Http.Reply r = reply.get();
            if (r.status() == 201) {
                completed++;
            } else {
                assertEquals(422, r.status(), r.body());
                assertEquals("transfer-not-reversible", r.json().get("code").asText());
            }
        }
        clients.shutdown();
        assertEquals(6, completed, "60.00 moved, 10.00 a time");
        long reversedMinor = LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), b).stream()
                .filter(e -> e instanceof TransferDebited d && original.equals(d.getReversalOf()))
                .mapToLong(e -> ((TransferDebited) e).getAmountMinor()).sum();
        assertEquals(6_000, reversedMinor, "the log moved back exactly what the transfer moved");
        Http.Reply more = http.post(reverse(original), "{\"amount\":\"0.01\",\"reason\":\"refund\"}");
        assertEquals(422, more.status(), more.body());
        assertTrue(more.json().get("detail").asText().contains("in full"), more.body());
    }

    @Test
    void a_deposit_and_a_withdrawal_are_corrected_by_linked_entries_never_beyond_what_they_moved() {
        String account = "corr-" + UUID.randomUUID().toString().substring(0, 8);
        http.openAccount(stack.commandUrl(), account);
        Http.Reply deposit = http.post(stack.commandUrl() + "/accounts/" + account + "/deposits", "{\"amount\":\"100.00\"}");
        String depositId = deposit.json().get("transactionId").asText();
        Http.Reply withdrawal = http.post(stack.commandUrl() + "/accounts/" + account + "/withdrawals",
                "{\"amount\":\"30.00\"}");
        String withdrawalId = withdrawal.json().get("transactionId").asText();
        String base = stack.commandUrl() + "/accounts/" + account;

        Http.Reply customer = Http.as("o", "customer").post(base + "/deposits/" + depositId + "/reverse",
                "{\"reason\":\"mine\"}");
        assertEquals(403, customer.status(), customer.body());
        Http.Reply corrected = http.post(base + "/deposits/" + depositId + "/reverse",
                "{\"amount\":\"40.00\",\"reason\":\"double booked\"}");
        assertEquals(201, corrected.status(), corrected.body());
        assertEquals(depositId, corrected.json().get("reversalOf").asText());
        assertEquals("30.00", corrected.json().get("balance").asText());
        Http.Reply tooMuch = http.post(base + "/deposits/" + depositId + "/reverse", "{\"amount\":\"60.01\",\"reason\":\"x\"}");
        assertEquals(422, tooMuch.status(), tooMuch.body());
        assertEquals("transaction-not-reversible", tooMuch.json().get("code").asText());
        Http.Reply wrongKind = http.post(base + "/deposits/" + withdrawalId + "/reverse", "{\"reason\":\"x\"}");
        assertEquals(404, wrongKind.status(), wrongKind.body());
        assertEquals("transaction-not-found", wrongKind.json().get("code").asText());
        Http.Reply putBack = http.post(base + "/withdrawals/" + withdrawalId + "/reverse", "{\"reason\":\"fee refund\"}");
        assertEquals(201, putBack.status(), putBack.body());
        assertEquals("30.00", putBack.json().get("amount").asText());
        assertEquals("60.00", putBack.json().get("balance").asText());

        List<SpecificRecord> log = LedgerLog.of(LedgerLog.readAll(stack.bootstrapServers()), account);
        assertEquals(List.of("AccountOpened", "FundsDeposited", "FundsWithdrawn", "FundsWithdrawn", "FundsDeposited"),
                log.stream().map(e -> e.getSchema().getName()).toList());
        assertEquals(depositId, ((dev.tally.events.FundsWithdrawn) log.get(3)).getReversalOf());
        assertEquals(withdrawalId, ((dev.tally.events.FundsDeposited) log.get(4)).getReversalOf());
        assertEquals(null, ((dev.tally.events.FundsDeposited) log.get(1)).getReversalOf(), "the original is never edited");
    }

    private String reverse(String transferId) {
        return stack.commandUrl() + "/transfers/" + transferId + "/reverse";
    }
}
