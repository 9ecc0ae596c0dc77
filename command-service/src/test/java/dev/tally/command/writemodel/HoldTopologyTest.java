package dev.tally.command.writemodel;

import static dev.tally.command.writemodel.TestCommands.T0;
import static dev.tally.command.writemodel.TestCommands.captureHold;
import static dev.tally.command.writemodel.TestCommands.deposit;
import static dev.tally.command.writemodel.TestCommands.open;
import static dev.tally.command.writemodel.TestCommands.placeHold;
import static dev.tally.command.writemodel.TestCommands.releaseHold;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.FundsHeld;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Holds through the real write-model topology: answers, events, expiry by the write model's own clock. */
class HoldTopologyTest {

    private WriteModelDriver model;
    private final List<SpecificRecord> log = new ArrayList<>();

    @BeforeEach
    void start() {
        model = new WriteModelDriver(T0);
        model.send(open("o1", "alice-usd"));
        model.send(deposit("d1", "alice-usd", "100.00"));
        drain();
        model.results.readValuesToList();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void a_placed_hold_answers_open_and_lowers_what_the_account_can_spend() {
        model.send(placeHold("p1", "alice-usd", "h1", "60.00", Duration.ofHours(1)));
        CommandResult placed = model.results.readValue();
        assertTrue(placed.accepted(), () -> "refused: " + placed.rejection());
        assertEquals("OPEN", placed.hold().status());
        assertEquals("60.00", placed.hold().amount());
        assertEquals(T0.plus(Duration.ofHours(1)), placed.hold().expiresAt());
        assertEquals("100.00", placed.account().balance());
        assertEquals("60.00", placed.account().held());
        assertEquals("40.00", placed.account().available());
        assertInstanceOf(FundsHeld.class, drain().get(0));

        model.send(TestCommands.withdraw("w1", "alice-usd", "40.01"));
        assertEquals("insufficient-funds", model.results.readValue().rejection().code());
    }

    @Test
    void a_capture_appends_the_closing_of_the_hold_and_then_the_withdrawal() {
        model.send(placeHold("p1", "alice-usd", "h1", "60.00", Duration.ofHours(1)));
        model.results.readValue();
        drain();
        model.send(captureHold("c1", "alice-usd", "h1", "25.00"));
        CommandResult captured = model.results.readValue();
        assertEquals("CAPTURED", captured.hold().status());
        assertEquals("25.00", captured.hold().capturedAmount());
        assertEquals("35.00", captured.hold().releasedAmount());
        assertEquals("c1", captured.hold().transactionId());
        assertEquals("75.00", captured.account().balance());
        assertEquals("0.00", captured.account().held());
        List<SpecificRecord> events = drain();
        assertEquals(2, events.size());
        HoldCaptured closing = assertInstanceOf(HoldCaptured.class, events.get(0));
        FundsWithdrawn withdrawal = assertInstanceOf(FundsWithdrawn.class, events.get(1));
        assertEquals(closing.getTransactionId(), withdrawal.getTransactionId());
        assertEquals(2_500, withdrawal.getAmountMinor());
        assertEquals(closing.getMeta().getSequence() + 1, withdrawal.getMeta().getSequence());

        model.send(captureHold("c2", "alice-usd", "h1", null));
        assertEquals("hold-not-open", model.results.readValue().rejection().code());
        model.send(releaseHold("r1", "alice-usd", "h1"));
        assertEquals("hold-not-open", model.results.readValue().rejection().code());
        model.send(captureHold("c3", "alice-usd", "never-placed", null));
        assertEquals("hold-not-found", model.results.readValue().rejection().code());
        assertTrue(drain().isEmpty(), "refusals append nothing");
    }

    @Test
    void the_same_placement_again_is_answered_and_another_under_the_same_id_is_refused() {
        model.send(placeHold("p1", "alice-usd", "h1", "60.00", Duration.ofHours(1)));
        model.results.readValue();
        model.send(placeHold("p2", "alice-usd", "h1", "60.00", Duration.ofHours(1)));
        CommandResult again = model.results.readValue();
        assertTrue(again.replayed());
        assertEquals("OPEN", again.hold().status());
        model.send(placeHold("p3", "alice-usd", "h1", "10.00", Duration.ofHours(1)));
        assertEquals("hold-exists", model.results.readValue().rejection().code());
        model.send(releaseHold("r1", "alice-usd", "h1"));
        model.results.readValue();
        model.send(placeHold("p4", "alice-usd", "h1", "10.00", Duration.ofHours(1)));
        assertEquals("hold-exists", model.results.readValue().rejection().code(), "a hold id is not reused after it closed");
        assertEquals(2, drain().size(), "FundsHeld and HoldReleased only");
    }

    @Test
    void a_hold_expires_by_the_write_models_clock_exactly_once() {
        model.send(placeHold("p1", "alice-usd", "h1", "60.00", Duration.ofMinutes(10)));
        model.send(placeHold("p2", "alice-usd", "h2", "10.00", Duration.ofHours(2)));
        model.results.readValuesToList();
        drain();

        model.driver.advanceWallClockTime(Duration.ofMinutes(9));
        assertTrue(drain().isEmpty(), "not due yet");
        model.driver.advanceWallClockTime(Duration.ofMinutes(2));
        List<SpecificRecord> expired = drain();
        assertEquals(1, expired.size(), () -> "expected one expiry, got " + expired);
        HoldExpired expiry = assertInstanceOf(HoldExpired.class, expired.get(0));
        assertEquals("h1", expiry.getHoldId());
        assertEquals(6_000, expiry.getReleasedMinor());
        assertEquals(1_000, expiry.getHeldAfterMinor());
        assertEquals("system", expiry.getMeta().getActor());

        model.driver.advanceWallClockTime(Duration.ofMinutes(30));
        assertTrue(drain().isEmpty(), "an expired hold does not expire again");
        model.send(captureHold("c1", "alice-usd", "h1", null));
        assertEquals("hold-not-open", model.results.readValue().rejection().code());
        assertTrue(results(model).isEmpty(), "the expiry itself answers nobody");
    }

    @Test
    void a_hold_due_within_a_millisecond_is_not_taken_early_and_lost() {
        model.send(placeHold("p1", "alice-usd", "h1", "60.00", Duration.ofMinutes(10).plusNanos(500_000)));
        model.results.readValuesToList();
        drain();
        model.driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertTrue(drain().isEmpty(), "half a millisecond early");
        // The next check (a second later): a check that had taken it half a millisecond early would
        // have dropped it from the index unexpired, and nothing would come now.
        model.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(1, drain().stream().filter(HoldExpired.class::isInstance).count(), "expired, not dropped");
    }

    @Test
    void a_hold_captured_before_it_is_due_never_expires() {
        model.send(placeHold("p1", "alice-usd", "h1", "60.00", Duration.ofMinutes(10)));
        model.send(captureHold("c1", "alice-usd", "h1", null));
        model.results.readValuesToList();
        drain();
        model.driver.advanceWallClockTime(Duration.ofHours(1));
        assertTrue(drain().isEmpty());
        KeyValueStore<String, String> expiries = model.driver.getKeyValueStore(WriteModelTopology.HOLD_EXPIRIES_STORE);
        try (var all = expiries.all()) {
            assertFalse(all.hasNext(), "nothing left to expire");
        }
    }

    @Test
    void holds_and_their_expiry_index_rebuild_from_the_events_alone() {
        model.send(placeHold("p1", "alice-usd", "h1", "60.00", Duration.ofMinutes(10)));
        model.send(placeHold("p2", "alice-usd", "h2", "10.00", Duration.ofHours(2)));
        model.send(placeHold("p3", "alice-usd", "h3", "5.00", Duration.ofHours(3)));
        model.send(captureHold("c1", "alice-usd", "h3", "1.00"));
        model.driver.advanceWallClockTime(Duration.ofMinutes(11));
        WriteModelRebuild rebuild = new WriteModelRebuild();
        drain(); // every event so far is in the log now, the opening and deposit included
        log.forEach(rebuild::apply);
        WriteModelRebuild.Rebuilt rebuilt = rebuild.result();

        assertEquals(WriteModelDriver.contents(model.driver.getKeyValueStore(WriteModelTopology.HOLDS_STORE)), rebuilt.holds());
        assertEquals(WriteModelDriver.contents(model.driver.getKeyValueStore(WriteModelTopology.HOLD_EXPIRIES_STORE)),
                rebuilt.holdExpiries());
        assertEquals(WriteModelDriver.contents(model.driver.getKeyValueStore(WriteModelTopology.ACCOUNTS_STORE)), rebuilt.accounts());
        assertEquals(1, rebuilt.holdExpiries().size(), "only h2 is still open");
    }


    private List<SpecificRecord> drain() {
        List<SpecificRecord> events = model.events.readValuesToList();
        log.addAll(events);
        return events;
    }

    private static List<CommandResult> results(WriteModelDriver model) {
        return model.results.readValuesToList();
    }
}
