package dev.tally.command.writemodel;

import static dev.tally.command.writemodel.TestCommands.T0;
import static dev.tally.command.writemodel.TestCommands.reverse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reversals through the real topology: a completed transfer moves back (all or part) as new
 * transfers from its target to its source, each naming the original, never more than was moved.
 */
class ReversalTopologyTest {

    private WriteModelDriver model;
    private final List<SpecificRecord> log = new ArrayList<>();

    @BeforeEach
    void start() {
        model = new WriteModelDriver(T0);
        model.send(TestCommands.open("o1", "a"));
        model.send(TestCommands.deposit("d1", "a", "100.00"));
        model.send(TestCommands.open("o2", "b"));
        model.send(TestCommands.transfer("x1", "t1", "a", "b", "60.00"));
        drain();
        model.results.readValuesToList();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void a_reversal_is_a_new_transfer_back_that_names_the_original() {
        model.send(reverse("r1", "t1", "rev-1", "20.00"));
        CommandResult reversed = model.lastAnswerTo("r1");
        assertTrue(reversed.accepted(), () -> "refused: " + reversed.rejection());
        assertEquals("COMPLETED", reversed.transfer().status());
        assertEquals("rev-1", reversed.transfer().transferId());
        assertEquals("t1", reversed.transfer().reversalOf());
        assertEquals("b", reversed.transfer().fromAccountId());
        assertEquals("a", reversed.transfer().toAccountId());
        List<SpecificRecord> events = drain();
        assertEquals(List.of(TransferDebited.class, TransferCredited.class, TransferCompleted.class),
                events.stream().map(Object::getClass).toList());
        assertEquals("t1", ((TransferDebited) events.get(0)).getReversalOf());
        assertEquals("b", ((TransferDebited) events.get(0)).getMeta().getAccountId());
        assertEquals("t1", ((TransferCredited) events.get(1)).getReversalOf());
        assertEquals("60.00", model.account("a").balance());
        assertEquals("40.00", model.account("b").balance());

        model.send(reverse("r2", "t1", "rev-1", "20.00"));
        CommandResult again = model.answerTo("r2");
        assertTrue(again.replayed(), "the same reversal again is a replay");
        assertTrue(drain().isEmpty(), "and moves nothing");
    }

    @Test
    void no_more_than_was_moved_can_be_reversed() {
        model.send(reverse("r1", "t1", "rev-1", "20.00"));
        model.answersTo("r1");
        model.send(reverse("r2", "t1", "rev-2", "40.01"));
        CommandResult tooMuch = model.answerTo("r2");
        assertEquals("transfer-not-reversible", tooMuch.rejection().code());
        assertTrue(tooMuch.rejection().detail().contains("40.00"), tooMuch.rejection().detail());
        model.send(reverse("r3", "t1", "rev-3", null));
        CommandResult rest = model.lastAnswerTo("r3");
        assertEquals("COMPLETED", rest.transfer().status());
        assertEquals("40.00", rest.transfer().amount(), "absent amount: all that is left");
        model.send(reverse("r4", "t1", "rev-4", "0.01"));
        assertEquals("transfer-not-reversible", model.answerTo("r4").rejection().code());
        assertEquals("100.00", model.account("a").balance());
        assertEquals("0.00", model.account("b").balance());
    }

    @Test
    void a_target_that_no_longer_holds_the_money_refuses_and_the_amount_stays_reversible() {
        model.send(TestCommands.withdraw("w1", "b", "50.00"));
        model.answerTo("w1");
        drain();
        model.send(reverse("r1", "t1", "rev-1", "20.00"));
        assertEquals("insufficient-funds", model.answerTo("r1").rejection().code());
        assertTrue(drain().isEmpty(), "nothing moved");
        model.send(TestCommands.deposit("d2", "b", "50.00"));
        model.answerTo("d2");
        model.send(reverse("r2", "t1", "rev-2", "60.00"));
        assertEquals("COMPLETED", model.lastAnswerTo("r2").transfer().status(), "the refused reversal took none of it");
    }

    @Test
    void a_reversal_id_taken_by_another_transfer_is_refused_and_blocks_nothing() {
        model.send(TestCommands.transfer("x9", "t9", "a", "b", "1.00"));
        model.answersTo("x9");
        drain();
        model.send(reverse("r1", "t1", "t9", "60.00"));
        assertEquals("transfer-exists", model.answerTo("r1").rejection().code());
        assertTrue(drain().isEmpty(), "nothing moved");
        model.send(reverse("r2", "t1", "rev-2", "60.00"));
        assertEquals("COMPLETED", model.lastAnswerTo("r2").transfer().status(),
                "the refused reversal holds back none of what may still be reversed");
    }

    @Test
    void only_a_completed_transfer_can_be_reversed() {
        model.send(reverse("r1", "never", "rev-1", null));
        assertEquals("transfer-not-found", model.answerTo("r1").rejection().code());
        model.send(TestCommands.reserve("x2", "t2", "a", "b", "5.00", Duration.ofHours(1)));
        model.answerTo("x2");
        model.send(reverse("r2", "t2", "rev-2", null));
        assertEquals("transfer-not-reversible", model.answerTo("r2").rejection().code());
        model.send(reverse("r3", "t1", "rev-3", "1.001"));
        assertEquals("validation", model.answerTo("r3").rejection().code());
    }

    @Test
    void reversals_rebuild_from_the_events_alone() {
        model.send(reverse("r1", "t1", "rev-1", "20.00"));
        model.send(reverse("r2", "t1", "rev-2", "5.00"));
        model.results.readValuesToList();
        drain();
        WriteModelRebuild rebuild = new WriteModelRebuild();
        log.forEach(rebuild::apply);
        Map<String, TransferRecord> live = WriteModelDriver.contents(model.driver.getKeyValueStore(WriteModelTopology.TRANSFERS_STORE));
        TransferRecord rebuilt = rebuild.result().transfers().get("t1");
        assertEquals(live.get("t1").reversals(), rebuilt.reversals());
        assertEquals(2_500, rebuilt.reversals().reversedMinor());
        assertFalse(rebuilt.reversals().completed().isEmpty());
        assertEquals("t1", rebuild.result().transfers().get("rev-1").terms().reversalOf());

        // A rebuild reads partition by partition: the target's (where the reversals' events are)
        // may come before the source's (where the original settled). The count must not depend on it.
        WriteModelRebuild targetFirst = new WriteModelRebuild();
        log.stream().filter(e -> accountOf(e).equals("b")).forEach(targetFirst::apply);
        log.stream().filter(e -> !accountOf(e).equals("b")).forEach(targetFirst::apply);
        assertEquals(live.get("t1").reversals(), targetFirst.result().transfers().get("t1").reversals());
    }

    /** The account an event is about. */
    private static String accountOf(SpecificRecord event) {
        return ((dev.tally.events.EventMeta) event.get(0)).getAccountId();
    }

    private List<SpecificRecord> drain() {
        List<SpecificRecord> events = model.events.readValuesToList();
        log.addAll(events);
        return events;
    }
}
