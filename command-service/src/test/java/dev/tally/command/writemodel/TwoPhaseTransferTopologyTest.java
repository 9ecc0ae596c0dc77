package dev.tally.command.writemodel;

import static dev.tally.command.writemodel.TestCommands.T0;
import static dev.tally.command.writemodel.TestCommands.post;
import static dev.tally.command.writemodel.TestCommands.reserve;
import static dev.tally.command.writemodel.TestCommands.voidTransfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-phase transfers through the real write-model topology: reserve, then post (all or part),
 * void, or expire by the write model's own clock, each exactly once, with the same answers to
 * repeated requests and the stores equal to a rebuild from the events.
 */
class TwoPhaseTransferTopologyTest {

    private WriteModelDriver model;
    private final List<SpecificRecord> log = new ArrayList<>();

    @BeforeEach
    void start() {
        model = new WriteModelDriver(T0);
        model.send(TestCommands.open("o1", "a"));
        model.send(TestCommands.deposit("d1", "a", "100.00"));
        model.send(TestCommands.open("o2", "b"));
        drain();
        model.results.readValuesToList();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void a_reservation_answers_reserved_and_moves_nothing_yet() {
        model.send(reserve("r1", "t1", "a", "b", "60.00", Duration.ofHours(1)));
        CommandResult reserved = model.answerTo("r1");
        assertTrue(reserved.accepted(), () -> "refused: " + reserved.rejection());
        assertTrue(reserved.settled());
        assertEquals("RESERVED", reserved.transfer().status());
        assertEquals(Boolean.TRUE, reserved.transfer().twoPhase());
        assertEquals(T0.plus(Duration.ofHours(1)), reserved.transfer().expiresAt());
        assertEquals("60.00", reserved.transfer().reservedAmount());
        List<SpecificRecord> events = drain();
        assertEquals(1, events.size(), () -> "only the reservation: " + events);
        TransferReserved event = assertInstanceOf(TransferReserved.class, events.get(0));
        assertEquals(6_000, event.getHeldAfterMinor());
        assertEquals("b", event.getToAccountId());

        assertEquals("40.00", model.account("a").available(), "the reservation is no longer available");
        assertEquals("100.00", model.account("a").balance(), "but still in the balance");
        assertEquals("0.00", model.account("b").balance(), "nothing reached the target");
        model.send(TestCommands.withdraw("w1", "a", "40.01"));
        assertEquals("insufficient-funds", model.answerTo("w1").rejection().code());

        model.send(reserve("r2", "t1", "a", "b", "60.00", Duration.ofHours(1)));
        CommandResult again = model.answerTo("r2");
        assertTrue(again.replayed());
        assertEquals("RESERVED", again.transfer().status());
        model.send(reserve("r3", "t1", "a", "b", "61.00", Duration.ofHours(1)));
        assertEquals("transfer-exists", model.answerTo("r3").rejection().code());
        model.send(TestCommands.transfer("r4", "t1", "a", "b", "60.00"));
        assertEquals("transfer-exists", model.answerTo("r4").rejection().code(), "a one-phase request under the same id");
        assertTrue(drain().isEmpty());
    }

    @Test
    void a_post_moves_the_posted_part_through_the_saga_and_releases_the_rest_once() {
        model.send(reserve("r1", "t1", "a", "b", "60.00", Duration.ofHours(1)));
        model.answerTo("r1");
        drain();

        model.send(post("p1", "t1", "45.00"));
        List<CommandResult> answers = model.answersTo("p1");
        CommandResult posting = answers.get(0);
        assertEquals("POSTED", posting.transfer().status(), "first the source's answer: the money is on its way");
        assertEquals(T0, posting.transfer().requestedAt(), "naming when the transfer was requested");
        assertEquals(T0.plus(Duration.ofHours(1)), posting.transfer().expiresAt());
        CommandResult done = answers.get(answers.size() - 1);
        assertTrue(done.settled());
        assertEquals("COMPLETED", done.transfer().status());
        assertEquals("45.00", done.transfer().amount());
        List<SpecificRecord> events = drain();
        assertEquals(List.of(TransferPosted.class, TransferDebited.class, TransferCredited.class,
                TransferCompleted.class), events.stream().map(Object::getClass).toList());
        TransferPosted posted = (TransferPosted) events.get(0);
        assertEquals(4_500, posted.getPostedMinor());
        assertEquals(1_500, posted.getReleasedMinor());
        assertEquals(0, posted.getHeldAfterMinor());
        assertEquals("55.00", model.account("a").balance());
        assertEquals("55.00", model.account("a").available(), "the unposted rest is available again");
        assertEquals("45.00", model.account("b").balance());

        model.send(post("p2", "t1", "45.00"));
        CommandResult replay = model.answerTo("p2");
        assertTrue(replay.replayed());
        assertEquals("COMPLETED", replay.transfer().status());
        model.send(post("p3", "t1", null));
        assertEquals("COMPLETED", model.answerTo("p3").transfer().status(), "posting 'all' again hears the transfer as it is");
        model.send(post("p4", "t1", "10.00"));
        assertEquals("transfer-not-reserved", model.answerTo("p4").rejection().code());
        model.send(voidTransfer("v1", "t1", null));
        assertEquals("transfer-not-reserved", model.answerTo("v1").rejection().code(), "a posted transfer cannot be voided");
        assertTrue(drain().isEmpty(), "money moved once");
    }

    @Test
    void a_void_releases_the_reservation_once_and_a_later_post_is_refused() {
        model.send(reserve("r1", "t1", "a", "b", "60.00", Duration.ofHours(1)));
        model.answerTo("r1");
        drain();

        model.send(voidTransfer("v1", "t1", "order cancelled"));
        CommandResult voided = model.answerTo("v1");
        assertTrue(voided.accepted(), () -> "refused: " + voided.rejection());
        assertEquals("VOIDED", voided.transfer().status());
        assertEquals("order cancelled", voided.transfer().reason());
        assertNotNull(voided.transfer().expiresAt());
        List<SpecificRecord> events = drain();
        assertEquals(1, events.size());
        TransferVoided event = assertInstanceOf(TransferVoided.class, events.get(0));
        assertFalse(event.getExpired());
        assertEquals(6_000, event.getReleasedMinor());
        assertEquals("100.00", model.account("a").available());

        model.send(voidTransfer("v2", "t1", "order cancelled"));
        CommandResult again = model.answerTo("v2");
        assertTrue(again.replayed());
        assertEquals("VOIDED", again.transfer().status());
        model.send(post("p1", "t1", null));
        assertEquals("transfer-not-reserved", model.answerTo("p1").rejection().code());
        assertTrue(drain().isEmpty());
        assertEquals("0.00", model.account("b").balance());
    }

    @Test
    void a_reservation_expires_by_the_write_models_clock_exactly_once() {
        model.send(reserve("r1", "t1", "a", "b", "60.00", Duration.ofMinutes(10)));
        model.answerTo("r1");
        drain();

        model.driver.advanceWallClockTime(Duration.ofMinutes(9));
        assertTrue(drain().isEmpty(), "not due yet");
        model.driver.advanceWallClockTime(Duration.ofMinutes(2));
        List<SpecificRecord> expired = drain();
        assertEquals(1, expired.size(), () -> "one expiry: " + expired);
        TransferVoided expiry = assertInstanceOf(TransferVoided.class, expired.get(0));
        assertTrue(expiry.getExpired());
        assertEquals("system", expiry.getMeta().getActor());
        assertEquals("100.00", model.account("a").available());

        model.driver.advanceWallClockTime(Duration.ofHours(1));
        assertTrue(drain().isEmpty(), "an expired reservation does not expire again");
        model.send(post("p1", "t1", null));
        CommandResult refused = model.answerTo("p1");
        assertEquals("transfer-not-reserved", refused.rejection().code());
        assertTrue(refused.rejection().detail().contains("EXPIRED"), refused.rejection().detail());
        model.send(voidTransfer("v1", "t1", null));
        assertEquals("EXPIRED", model.answerTo("v1").transfer().status(), "voiding an expired transfer hears it expired");
    }

    @Test
    void a_post_that_arrives_after_the_expiry_is_refused_and_the_transfer_still_expires() {
        model.send(reserve("r1", "t1", "a", "b", "60.00", Duration.ofMinutes(10)));
        model.answerTo("r1");
        drain();
        // Sent at 10:11 while the write model's own check has not run yet: the source refuses it.
        model.send(post("p1", "t1", null, T0.plus(Duration.ofMinutes(11))));
        assertEquals("transfer-not-reserved", model.answerTo("p1").rejection().code());
        assertTrue(drain().isEmpty(), "nothing moved");
        model.driver.advanceWallClockTime(Duration.ofMinutes(11));
        assertInstanceOf(TransferVoided.class, drain().get(0));
        assertEquals("0.00", model.account("b").balance());
    }

    @Test
    void a_refused_post_leaves_the_transfer_reserved() {
        model.send(reserve("r1", "t1", "a", "b", "60.00", Duration.ofHours(1)));
        model.answerTo("r1");
        model.send(post("p1", "t1", "60.01"));
        CommandResult tooMuch = model.answerTo("p1");
        assertEquals("validation", tooMuch.rejection().code());
        assertEquals("amount", tooMuch.rejection().field());

        model.send(TestCommands.freeze("f1", "a"));
        model.answerTo("f1");
        model.send(post("p2", "t1", null));
        assertEquals("account-frozen", model.answerTo("p2").rejection().code(), "a frozen source pays nothing out");
        model.send(voidTransfer("v1", "t1", null));
        assertEquals("VOIDED", model.answerTo("v1").transfer().status(), "but it may release what it reserved");
    }

    @Test
    void a_target_that_refuses_the_posted_money_sends_it_back() {
        model.send(reserve("r1", "t1", "a", "b", "60.00", Duration.ofHours(1)));
        model.answerTo("r1");
        // The target closes while the amount waits on the source: the post's credit is refused.
        model.send(CommandMessage.from(new dev.tally.command.ledger.AccountCommand.CloseAccount(
                TestCommands.ctx("c1", "b")), null, null));
        assertTrue(model.answerTo("c1").accepted());
        drain();
        model.send(post("p1", "t1", null));
        CommandResult refunded = model.lastAnswerTo("p1");
        assertEquals("REFUNDED", refunded.transfer().status());
        assertEquals("account-closed", refunded.transfer().reasonCode());
        assertTrue(drain().stream().anyMatch(TransferRefunded.class::isInstance));
        assertEquals("100.00", model.account("a").balance());
        assertEquals("100.00", model.account("a").available());
        model.send(post("p2", "t1", null));
        assertEquals("REFUNDED", model.answerTo("p2").transfer().status(), "the same post again hears the refund");
    }

    @Test
    void posting_or_voiding_is_only_for_two_phase_transfers_the_caller_may_see() {
        model.send(post("p1", "never", null));
        assertEquals("transfer-not-found", model.answerTo("p1").rejection().code());
        model.send(TestCommands.transfer("x1", "one-phase", "a", "b", "1.00"));
        model.answersTo("x1");
        model.send(post("p2", "one-phase", null));
        assertEquals("transfer-not-reserved", model.answerTo("p2").rejection().code());
        model.send(voidTransfer("v2", "one-phase", null));
        assertEquals("transfer-not-reserved", model.answerTo("v2").rejection().code());

        model.send(reserve("r1", "t1", "a", "b", "60.00", Duration.ofHours(1)));
        model.answerTo("r1");
        model.send(TestCommands.postAs("b", "p3", "t1"));
        assertEquals("transfer-not-found", model.answerTo("p3").rejection().code(), "someone else's transfer looks missing");
        model.send(TestCommands.postAs("a", "p4", "t1"));
        assertEquals("COMPLETED", model.lastAnswerTo("p4").transfer().status(), "the source's owner may post it");
    }

    @Test
    void the_transfer_holds_and_account_stores_rebuild_from_the_events_alone() {
        model.send(reserve("r1", "posted", "a", "b", "30.00", Duration.ofHours(1)));
        model.send(reserve("r2", "voided", "a", "b", "10.00", Duration.ofHours(1)));
        model.send(reserve("r3", "expired", "a", "b", "5.00", Duration.ofMinutes(10)));
        model.send(reserve("r4", "open", "a", "b", "7.00", Duration.ofHours(2)));
        model.send(post("p1", "posted", "20.00"));
        model.send(voidTransfer("v1", "voided", "no"));
        model.driver.advanceWallClockTime(Duration.ofMinutes(11));
        model.results.readValuesToList();
        drain();

        WriteModelRebuild rebuild = new WriteModelRebuild();
        log.forEach(rebuild::apply);
        WriteModelRebuild.Rebuilt rebuilt = rebuild.result();
        assertEquals(WriteModelDriver.contents(model.driver.getKeyValueStore(WriteModelTopology.ACCOUNTS_STORE)), rebuilt.accounts());
        assertEquals(WriteModelDriver.contents(model.driver.getKeyValueStore(WriteModelTopology.HOLDS_STORE)), rebuilt.holds());
        assertEquals(WriteModelDriver.contents(model.driver.getKeyValueStore(WriteModelTopology.HOLD_EXPIRIES_STORE)),
                rebuilt.holdExpiries());
        Map<String, TransferRecord> live = WriteModelDriver.contents(model.driver.getKeyValueStore(WriteModelTopology.TRANSFERS_STORE));
        for (String id : List.of("posted", "voided", "expired", "open")) {
            TransferRecord expected = live.get(id);
            TransferRecord actual = rebuilt.transfers().get(id);
            assertNotNull(actual, id);
            assertEquals(expected.status(), actual.status(), id);
            assertEquals(expected.outcome(), actual.outcome(), id);
            assertEquals(expected.terms().twoPhase(), actual.terms().twoPhase(), id);
        }
        assertEquals("EXPIRED", rebuilt.transfers().get("expired").outcome().status());
        assertEquals(TransferRecord.RESERVED, rebuilt.transfers().get("open").status());
    }

    private List<SpecificRecord> drain() {
        List<SpecificRecord> events = model.events.readValuesToList();
        log.addAll(events);
        return events;
    }
}
