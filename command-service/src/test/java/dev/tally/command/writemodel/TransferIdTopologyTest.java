package dev.tally.command.writemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.TransferDebited;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's first finding, through the real topology: one transfer id moved money three times
 * (once without a key, then once per new Idempotency-Key). A transfer id moves money at most once,
 * whatever the header, the source account or the time passed.
 */
class TransferIdTopologyTest {

    private WriteModelDriver model;

    @BeforeEach
    void start() {
        model = new WriteModelDriver();
        model.send(TestCommands.open("o1", "a"));
        model.send(TestCommands.deposit("d1", "a", "100.00"));
        model.send(TestCommands.open("o2", "b"));
        model.send(TestCommands.open("o3", "c"));
        model.send(TestCommands.deposit("d3", "c", "100.00"));
        drain();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void the_same_transfer_id_with_no_key_then_two_new_keys_moves_the_money_once_and_replays_the_outcome() {
        model.send(TestCommands.transfer("r1", "tx-1", "a", "b", "10.00"));
        assertEquals("COMPLETED", lastAnswer("r1").transfer().status());
        drain();

        model.send(TestCommands.transfer("r2", "tx-1", "a", "b", "10.00"));
        model.send(TestCommands.transfer("r3", "tx-1", "a", "b", "10.00", "k1"));
        model.send(TestCommands.transfer("r4", "tx-1", "a", "b", "10.00", "k2"));

        assertTrue(model.events.isEmpty(), "a used transfer id appends nothing, whatever the Idempotency-Key");
        List<CommandResult> answers = model.results.readValuesToList();
        assertEquals(List.of("r2", "r3", "r4"), answers.stream().map(CommandResult::commandId).toList());
        for (CommandResult answer : answers) {
            assertTrue(answer.replayed(), "a replay says so");
            assertTrue(answer.settled());
            assertEquals("COMPLETED", answer.transfer().status(), "the transfer's current outcome, not its first step");
            assertEquals(TestCommands.T0, answer.transfer().requestedAt(), "the first request's time");
            assertFalse(answer.events().isEmpty(), "versions for a consistency token");
        }
        assertEquals(9000, balance("a"));
        assertEquals(1000, balance("b"));
    }

    @Test
    void the_same_transfer_id_from_another_source_account_is_transfer_exists_and_moves_nothing() {
        model.send(TestCommands.transfer("r1", "tx-2", "a", "b", "10.00"));
        drain();

        model.send(TestCommands.transfer("r2", "tx-2", "c", "b", "10.00"));

        assertTrue(model.events.isEmpty());
        CommandResult refused = model.results.readValue();
        assertEquals("transfer-exists", refused.rejection().code());
        assertTrue(refused.rejection().detail().contains("tx-2"), "names the id");
        assertTrue(refused.rejection().detail().contains("fromAccountId"), "names what differs");
        assertEquals(10000, balance("c"));
        assertEquals(1000, balance("b"));
    }

    @Test
    void another_amount_or_target_under_a_used_id_is_transfer_exists_even_with_a_new_key() {
        model.send(TestCommands.transfer("r1", "tx-3", "a", "b", "10.00", "k1"));
        drain();

        model.send(TestCommands.transfer("r2", "tx-3", "a", "b", "11.00", "k2"));
        model.send(TestCommands.transfer("r3", "tx-3", "a", "c", "10.00"));

        assertTrue(model.events.isEmpty());
        assertEquals(List.of("transfer-exists", "transfer-exists"), model.results.readValuesToList().stream()
                .map(r -> r.rejection().code()).toList());
    }

    @Test
    void the_same_amount_written_differently_is_the_same_request() {
        model.send(TestCommands.transfer("r1", "tx-4", "a", "b", "10.00"));
        drain();

        model.send(TestCommands.transfer("r2", "tx-4", "a", "b", "10.0"));

        assertTrue(model.events.isEmpty());
        assertTrue(model.results.readValue().replayed());
    }

    @Test
    void a_refused_transfer_moves_nothing_and_leaves_the_id_free_for_a_retry_once_the_reason_is_gone() {
        model.send(TestCommands.transfer("r1", "tx-5", "b", "a", "10.00"));
        assertEquals("insufficient-funds", lastAnswer("r1").rejection().code());
        assertNull(transfers().get("tx-5"), "a refusal releases the claim");
        model.send(TestCommands.deposit("d-b", "b", "10.00"));
        drain();

        model.send(TestCommands.transfer("r2", "tx-5", "b", "a", "10.00"));

        assertEquals("COMPLETED", lastAnswer("r2").transfer().status());
        assertEquals(0, balance("b"));
    }

    @Test
    void a_refunded_transfer_replays_as_refunded_and_never_retries_the_move() {
        model.send(TestCommands.transfer("r1", "tx-6", "a", "ghost", "10.00"));
        assertEquals("REFUNDED", lastAnswer("r1").transfer().status());
        model.send(TestCommands.open("o-ghost", "ghost"));
        drain();

        model.send(TestCommands.transfer("r2", "tx-6", "a", "ghost", "10.00"));

        assertTrue(model.events.isEmpty(), "the id already moved (and returned) its money");
        CommandResult replay = model.results.readValue();
        assertTrue(replay.replayed());
        assertEquals("REFUNDED", replay.transfer().status());
        assertEquals("account-not-found", replay.transfer().reasonCode());
        assertEquals(10000, balance("a"));
    }

    @Test
    void a_customer_cannot_hear_another_owners_transfer_by_repeating_its_request() {
        model.send(TestCommands.transfer("r1", "tx-7", "a", "b", "10.00"));
        drain();

        model.send(TestCommands.transferAs("mallory", "r2", "tx-7", "a", "b", "10.00"));

        assertEquals("account-not-found", model.results.readValue().rejection().code());
    }

    @Test
    void an_idempotency_key_without_a_transfer_id_finds_the_same_transfer_again() {
        String id = dev.tally.command.transfers.TransferCommandResource.transferIdOf(
                new dev.tally.command.transfers.TransferRequest(null, "a", "b", "5.00", null, null), "key-9");
        assertEquals(id, dev.tally.command.transfers.TransferCommandResource.transferIdOf(
                new dev.tally.command.transfers.TransferRequest(null, "a", "b", "5.00", null, null), "key-9"));
        model.send(TestCommands.transfer("r1", id, "a", "b", "5.00", "key-9"));
        drain();

        model.send(TestCommands.transfer("r2", id, "a", "b", "5.00", "key-9"));
        model.send(TestCommands.transfer("r3", id, "a", "b", "6.00", "key-9"));

        assertTrue(model.events.isEmpty());
        List<CommandResult> answers = model.results.readValuesToList();
        assertTrue(answers.get(0).replayed());
        assertEquals("COMPLETED", answers.get(0).transfer().status());
        assertEquals("idempotency-key-reused", answers.get(1).rejection().code(), "same key, other body");
        assertEquals(9500, balance("a"));
    }

    @Test
    void an_idempotency_key_first_used_for_a_deposit_is_refused_for_a_transfer_and_frees_the_id() {
        model.send(TestCommands.withKey(TestCommands.deposit("d9", "a", "1.00"), "k-dep", "h-dep"));
        drain();

        model.send(TestCommands.transfer("r1", "tx-8", "a", "b", "1.00", "k-dep"));

        assertEquals("idempotency-key-reused", lastAnswer("r1").rejection().code());
        assertNull(transfers().get("tx-8"));
    }

    @Test
    void only_one_debit_ever_carries_a_transfer_id() {
        for (int i = 0; i < 5; i++) {
            model.send(TestCommands.transfer("r" + i, "tx-9", "a", "b", "1.00", "k" + i));
        }
        List<SpecificRecord> appended = model.events.readValuesToList();
        assertEquals(1, appended.stream().filter(e -> e instanceof TransferDebited).count());
    }

    private CommandResult lastAnswer(String commandId) {
        List<CommandResult> answers = model.results.readValuesToList().stream()
                .filter(r -> r.commandId().equals(commandId)).toList();
        model.events.readValuesToList();
        return answers.get(answers.size() - 1);
    }

    private void drain() {
        model.events.readValuesToList();
        model.results.readValuesToList();
    }

    private KeyValueStore<String, TransferRecord> transfers() {
        return model.driver.getKeyValueStore(WriteModelTopology.TRANSFERS_STORE);
    }

    private long balance(String id) {
        KeyValueStore<String, AccountSnapshot> store = model.driver.getKeyValueStore(WriteModelTopology.ACCOUNTS_STORE);
        return store.get(id).balanceMinor();
    }
}
