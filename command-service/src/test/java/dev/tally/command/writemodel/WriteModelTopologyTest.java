package dev.tally.command.writemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.events.AccountOpened;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
import dev.tally.schemas.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteModelTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

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
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void a_withdrawal_deeper_into_the_overdraft_records_the_real_balance_before_it_minus_one_included() {
        send(CommandMessage.from(new AccountCommand.OpenAccount(TestCommands.ctx("o1", "dana"), "dana", "USD", "1.00",
                Map.of()), null, null));
        send(TestCommands.withdraw("o2", "dana", "0.01"));
        send(TestCommands.withdraw("o3", "dana", "0.01"));

        FundsWithdrawn second = (FundsWithdrawn) events.readRecordsToList().get(2).value();
        assertEquals(-1L, second.getBalanceBeforeMinor());
        assertEquals(-2, second.getBalanceAfterMinor());
    }

    @Test
    void accepted_commands_append_gapless_events_and_answer_with_the_new_balance() {
        send(TestCommands.open("c1", "alice"));
        send(TestCommands.deposit("c2", "alice", "30.00"));
        send(TestCommands.withdraw("c3", "alice", "20"));

        List<TestRecord<String, SpecificRecord>> appended = events.readRecordsToList();
        assertEquals(3, appended.size());
        assertTrue(appended.stream().allMatch(r -> r.key().equals("alice")), "events are keyed by account id");
        AccountOpened opened = (AccountOpened) appended.get(0).value();
        FundsDeposited deposited = (FundsDeposited) appended.get(1).value();
        FundsWithdrawn withdrawn = (FundsWithdrawn) appended.get(2).value();
        assertEquals(List.of(1L, 2L, 3L), List.of(opened.getMeta().getSequence(), deposited.getMeta().getSequence(),
                withdrawn.getMeta().getSequence()));
        assertEquals(3000, deposited.getAmountMinor());
        assertEquals(1000, withdrawn.getBalanceAfterMinor());
        assertEquals(3000L, withdrawn.getBalanceBeforeMinor(), "always written: null would mean unknown");
        assertEquals("teller", withdrawn.getMeta().getActor());
        assertEquals(LedgerEventMapper.eventId("c3", 0), withdrawn.getMeta().getEventId());
        assertEquals("FundsWithdrawn", new String(appended.get(2).headers().lastHeader(EventHeaders.EVENT_TYPE).value(),
                StandardCharsets.UTF_8));

        List<CommandResult> answers = results.readValuesToList();
        assertEquals(3, answers.size());
        CommandResult last = answers.get(2);
        assertTrue(last.accepted());
        assertEquals("c3", last.commandId());
        assertEquals("10.00", last.account().balance());
        assertEquals("20.00", last.amount(), "the amount is echoed in the currency's scale");
        assertEquals(3, last.account().version());
    }

    @Test
    void a_rejected_command_appends_nothing_and_changes_nothing() {
        send(TestCommands.open("c1", "alice"));
        send(TestCommands.deposit("c2", "alice", "10.00"));
        events.readRecordsToList();
        results.readValuesToList();

        send(TestCommands.withdraw("c3", "alice", "100.00"));

        assertTrue(events.isEmpty(), "no event for a rejected command");
        CommandResult answer = results.readValue();
        assertFalse(answer.accepted());
        assertEquals("insufficient-funds", answer.rejection().code());
        AccountSnapshot stored = driver.<String, AccountSnapshot>getKeyValueStore(WriteModelTopology.ACCOUNTS_STORE)
                .get("alice");
        assertEquals(1000, stored.balanceMinor());
        assertEquals(2, stored.version());
    }

    @Test
    void accounts_are_independent_and_each_has_its_own_sequence() {
        send(TestCommands.open("c1", "alice"));
        send(TestCommands.open("c2", "bob"));
        send(TestCommands.deposit("c3", "bob", "5.00"));

        List<TestRecord<String, SpecificRecord>> appended = events.readRecordsToList();
        assertEquals(List.of(1L, 1L, 2L), appended.stream()
                .map(r -> ((org.apache.avro.generic.GenericRecord) r.value().get(0)).get("sequence")).toList());
    }

    @Test
    void a_ping_is_answered_and_touches_no_account() {
        send(CommandMessage.ping("p1", T0));

        assertTrue(events.isEmpty());
        CommandResult answer = results.readValue();
        assertEquals("p1", answer.commandId());
        assertTrue(answer.accepted());
    }

    private void send(CommandMessage message) {
        model.send(message);
    }
}
