package dev.tally.command.writemodel;

import static dev.tally.command.writemodel.TestCommands.T0;
import static dev.tally.command.writemodel.TestCommands.reverseMovement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Correcting entries through the real topology: a deposit taken back by a linked withdrawal, a
 * withdrawal put back by a linked deposit, never more than the original moved, and the movements
 * store equal to a rebuild from the events.
 */
class MovementReversalTopologyTest {

    private WriteModelDriver model;
    private final List<SpecificRecord> log = new ArrayList<>();

    @BeforeEach
    void start() {
        model = new WriteModelDriver(T0);
        model.send(TestCommands.open("o1", "a"));
        model.send(TestCommands.deposit("d1", "a", "100.00"));
        model.send(TestCommands.withdraw("w1", "a", "30.00"));
        drain();
        model.results.readValuesToList();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void a_deposit_is_taken_back_by_a_withdrawal_that_names_it_never_beyond_what_it_moved() {
        model.send(reverseMovement("r1", "a", true, "d1", "40.00"));
        CommandResult reversed = model.results.readValue();
        assertTrue(reversed.accepted(), () -> "refused: " + reversed.rejection());
        assertEquals("r1", reversed.transactionId());
        assertEquals("30.00", reversed.account().balance());
        FundsWithdrawn correction = assertInstanceOf(FundsWithdrawn.class, drain().get(0));
        assertEquals("d1", correction.getReversalOf());
        assertEquals(4_000, correction.getAmountMinor());
        assertEquals("correction", correction.getReference());

        model.send(reverseMovement("r2", "a", true, "d1", "60.01"));
        assertEquals("transaction-not-reversible", model.results.readValue().rejection().code());
        model.send(reverseMovement("r3", "a", true, "d1", null));
        CommandResult rest = model.results.readValue();
        assertEquals("insufficient-funds", rest.rejection().code(), "60.00 left of it, 30.00 on the account");
        assertTrue(drain().isEmpty(), "refusals append nothing");
    }

    @Test
    void a_withdrawal_is_put_back_by_a_deposit_that_names_it() {
        model.send(reverseMovement("r1", "a", false, "w1", null));
        CommandResult reversed = model.results.readValue();
        assertTrue(reversed.accepted(), () -> "refused: " + reversed.rejection());
        assertEquals("30.00", reversed.amount(), "absent amount: all of it");
        assertEquals("100.00", reversed.account().balance());
        FundsDeposited correction = assertInstanceOf(FundsDeposited.class, drain().get(0));
        assertEquals("w1", correction.getReversalOf());
        model.send(reverseMovement("r2", "a", false, "w1", "0.01"));
        assertEquals("transaction-not-reversible", model.results.readValue().rejection().code());
    }

    @Test
    void only_a_deposit_of_this_account_can_be_reversed_as_a_deposit() {
        model.send(reverseMovement("r1", "a", true, "w1", null));
        assertEquals("transaction-not-found", model.results.readValue().rejection().code(), "w1 is a withdrawal");
        model.send(reverseMovement("r2", "a", false, "never", null));
        assertEquals("transaction-not-found", model.results.readValue().rejection().code());
        model.send(TestCommands.open("o2", "b"));
        model.results.readValue();
        model.send(reverseMovement("r3", "b", true, "d1", null));
        assertEquals("transaction-not-found", model.results.readValue().rejection().code(), "d1 is a's");
    }

    @Test
    void the_movements_store_rebuilds_from_the_events_alone() {
        model.send(reverseMovement("r1", "a", true, "d1", "10.00"));
        model.send(reverseMovement("r2", "a", false, "w1", "5.00"));
        model.results.readValuesToList();
        drain();
        WriteModelRebuild rebuild = new WriteModelRebuild();
        log.forEach(rebuild::apply);
        Map<String, MovementRecord> live = WriteModelDriver.contents(model.driver.getKeyValueStore(WriteModelTopology.MOVEMENTS_STORE));
        assertEquals(live, rebuild.result().movements());
        assertEquals(1_000, live.get(MovementRecord.storeKey("a", "d1")).reversedMinor());
        assertEquals(500, live.get(MovementRecord.storeKey("a", "w1")).reversedMinor());
    }

    private List<SpecificRecord> drain() {
        List<SpecificRecord> events = model.events.readValuesToList();
        log.addAll(events);
        return events;
    }
}
