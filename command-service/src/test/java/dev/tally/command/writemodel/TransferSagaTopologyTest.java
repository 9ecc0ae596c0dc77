package dev.tally.command.writemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.EventMeta;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferRefunded;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transfer saga and idempotency, through the real topology (saga steps loop through the commands topic). */
class TransferSagaTopologyTest {

    private TopologyTestDriver driver;
    private WriteModelDriver model;
    private TestOutputTopic<String, SpecificRecord> events;
    private TestOutputTopic<String, CommandResult> results;

    @BeforeEach
    void start() {
        model = new WriteModelDriver();
        driver = model.driver;
        events = model.events;
        results = model.results;
        send(TestCommands.open("o1", "alice"));
        send(TestCommands.deposit("d1", "alice", "50.00"));
        send(TestCommands.open("o2", "bob"));
        send(TestCommands.open("o3", "eve", "EUR"));
        events.readRecordsToList();
        results.readValuesToList();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void a_transfer_debits_the_source_credits_the_target_and_settles_as_completed() {
        send(TestCommands.transfer("t-cmd", "t-1", "alice", "bob", "20.00"));

        List<SpecificRecord> appended = events.readValuesToList();
        assertEquals(3, appended.size(), appended::toString);
        TransferDebited debited = (TransferDebited) appended.get(0);
        TransferCredited credited = (TransferCredited) appended.get(1);
        TransferCompleted completed = (TransferCompleted) appended.get(2);
        assertEquals(List.of("alice", "bob", "alice"), appended.stream().map(e -> meta(e).getAccountId()).toList());
        assertEquals(2000, credited.getAmountMinor());
        assertEquals(debited.getMeta().getEventId(), credited.getMeta().getCausationId(),
                "the credit is caused by the debit");
        assertEquals(debited.getMeta().getCorrelationId(), completed.getMeta().getCorrelationId(),
                "every step shares the transfer's correlation id");

        List<CommandResult> answers = results.readValuesToList();
        assertEquals(List.of("t-cmd", "t-cmd"), answers.stream().map(CommandResult::commandId).toList());
        assertEquals("PENDING", answers.get(0).transfer().status());
        assertFalse(answers.get(0).settled());
        assertEquals("COMPLETED", answers.get(1).transfer().status());
        assertTrue(answers.get(1).settled());
        assertEquals(3000, balance("alice"));
        assertEquals(2000, balance("bob"));
        assertTrue(account("alice").inFlightMinor().isEmpty());
    }

    @Test
    void a_transfer_to_an_account_that_does_not_exist_is_refunded() {
        send(TestCommands.transfer("t-cmd", "t-2", "alice", "ghost", "20.00"));

        List<SpecificRecord> appended = events.readValuesToList();
        assertEquals(2, appended.size(), appended::toString);
        assertTrue(appended.get(0) instanceof TransferDebited);
        TransferRefunded refunded = (TransferRefunded) appended.get(1);
        assertEquals("account-not-found", refunded.getReasonCode());
        assertEquals(5000, refunded.getBalanceAfterMinor());
        CommandResult outcome = results.readValuesToList().get(1);
        assertEquals("REFUNDED", outcome.transfer().status());
        assertEquals(5000, balance("alice"));
        assertTrue(account("alice").inFlightMinor().isEmpty());
    }

    @Test
    void every_saga_step_names_as_its_cause_an_event_a_subscriber_can_see_on_the_topic() {
        send(TestCommands.transfer("t-ok", "t-7", "alice", "bob", "10.00"));
        send(TestCommands.transfer("t-back", "t-8", "alice", "ghost", "5.00"));

        List<EventMeta> appended = events.readValuesToList().stream().map(TransferSagaTopologyTest::meta).toList();
        assertEquals(5, appended.size(), appended::toString);
        EventMeta debited = appended.get(0);
        EventMeta credited = appended.get(1);
        EventMeta completed = appended.get(2);
        EventMeta debitedAgain = appended.get(3);
        EventMeta refunded = appended.get(4);
        assertEquals(debited.getCommandId(), debited.getCausationId(), "the debit is caused by the client's command");
        assertEquals(debited.getEventId(), credited.getCausationId(), "the credit by the debit");
        assertEquals(credited.getEventId(), completed.getCausationId(), "the completion by the credit");
        assertEquals(debitedAgain.getEventId(), refunded.getCausationId(),
                "the refund by the debit whose money it sends back (the target's refusal appended nothing)");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (EventMeta meta : appended) {
            assertTrue(meta.getCausationId().equals(meta.getCommandId()) || seen.contains(meta.getCausationId()),
                    () -> meta.getEventId() + "'s cause " + meta.getCausationId() + " is neither its own command nor an earlier event");
            seen.add(meta.getEventId());
        }
    }

    @Test
    void a_transfer_to_a_known_account_in_another_currency_is_refused_up_front() {
        send(TestCommands.transfer("t-cmd", "t-3", "alice", "eve", "20.00"));

        assertTrue(events.isEmpty(), "nothing debited: the directory knew eve holds EUR");
        assertEquals("currency-mismatch", results.readValue().rejection().code());
        assertEquals(5000, balance("alice"));
    }

    @Test
    void a_transfer_to_a_known_closed_account_is_refused_up_front() {
        send(CommandMessage.from(new dev.tally.command.ledger.AccountCommand.CloseAccount(
                TestCommands.ctx("close-bob", "bob")), null, null));
        results.readValuesToList();
        events.readValuesToList();

        send(TestCommands.transfer("t-cmd", "t-6", "alice", "bob", "20.00"));

        assertTrue(events.isEmpty());
        assertEquals("account-closed", results.readValue().rejection().code());
    }

    @Test
    void the_same_transfer_sent_twice_moves_the_money_once_and_answers_the_first_answer_again() {
        CommandMessage transfer = TestCommands.transfer("t-cmd", "t-4", "alice", "bob", "20.00");
        send(transfer);
        events.readValuesToList();
        results.readValuesToList();

        send(transfer);

        assertTrue(events.isEmpty(), "nothing doubled");
        CommandResult replay = results.readValue();
        assertTrue(replay.replayed());
        assertEquals("t-4", replay.transfer().transferId());
        assertEquals(3000, balance("alice"));
        assertEquals(2000, balance("bob"));
    }

    @Test
    void the_same_transfer_id_with_another_amount_is_refused() {
        send(TestCommands.transfer("t-cmd", "t-5", "alice", "bob", "20.00"));
        events.readValuesToList();
        results.readValuesToList();

        send(TestCommands.transfer("t-cmd-2", "t-5", "alice", "bob", "25.00"));

        assertTrue(events.isEmpty());
        assertEquals("transfer-exists", results.readValue().rejection().code());
    }

    @Test
    void money_is_conserved_over_many_transfers_both_ways_including_refused_ones() {
        send(TestCommands.deposit("d2", "bob", "10.00"));
        for (int i = 0; i < 20; i++) {
            String from = i % 2 == 0 ? "alice" : "bob";
            String to = i % 3 == 0 ? "ghost" : (i % 2 == 0 ? "bob" : "alice");
            send(TestCommands.transfer("c" + i, "t" + i, from, to, "7.00"));
        }
        assertEquals(6000, balance("alice") + balance("bob"), "deposits were 50.00 + 10.00");
        assertTrue(account("alice").inFlightMinor().isEmpty());
        assertTrue(account("bob").inFlightMinor().isEmpty());
    }

    @Test
    void a_repeated_idempotency_key_on_a_deposit_appends_nothing_and_replays_the_answer() {
        CommandMessage deposit = TestCommands.withKey(TestCommands.deposit("k1", "bob", "5.00"), "key-1", "h1");
        send(deposit);
        send(TestCommands.withKey(TestCommands.deposit("k2", "bob", "5.00"), "key-1", "h1"));
        send(TestCommands.withKey(TestCommands.deposit("k3", "bob", "6.00"), "key-1", "h2"));

        assertEquals(1, events.readValuesToList().size());
        List<CommandResult> answers = results.readValuesToList();
        assertFalse(answers.get(0).replayed());
        assertTrue(answers.get(1).replayed());
        assertEquals("5.00", answers.get(1).account().balance());
        assertEquals("idempotency-key-reused", answers.get(2).rejection().code());
        assertEquals(500, balance("bob"));
    }

    private void send(CommandMessage message) {
        model.send(message);
    }

    private AccountSnapshot account(String id) {
        KeyValueStore<String, AccountSnapshot> store = driver.getKeyValueStore(WriteModelTopology.ACCOUNTS_STORE);
        return store.get(id);
    }

    private long balance(String id) {
        return account(id).balanceMinor();
    }

    private static EventMeta meta(SpecificRecord event) {
        return (EventMeta) event.get(0);
    }
}
