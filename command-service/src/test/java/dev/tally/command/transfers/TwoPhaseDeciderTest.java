package dev.tally.command.transfers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tally.command.ledger.Rejection;
import dev.tally.command.transfers.TransferCommand.RecordRefusal;
import dev.tally.command.transfers.TransferCommand.RecordReservation;
import dev.tally.command.transfers.TransferCommand.RecordSettlement;
import dev.tally.command.transfers.TransferCommand.RequestPost;
import dev.tally.command.transfers.TransferCommand.RequestTransfer;
import dev.tally.command.transfers.TransferCommand.RequestVoid;
import dev.tally.command.transfers.TransferState.Action;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A two-phase transfer id's rules: reserve, then post or void once; who hears what, and when. */
class TwoPhaseDeciderTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant EXPIRY = T0.plusSeconds(3_600);
    private static final TransferTerms TERMS = new TransferTerms("a", "b", "10.00", null, Map.of(), true);
    private static final TransferOutcome RESERVATION = new TransferOutcome("RESERVED", 1000, "USD", 2, null, null, T0,
            Map.of("a", 3L), "alice", EXPIRY);
    private static final TransferState.Reserved RESERVED = new TransferState.Reserved(TERMS, null, T0, RESERVATION);

    @Test
    void a_two_phase_request_differs_from_a_one_phase_request_with_the_same_fields() {
        TransferTerms onePhase = new TransferTerms("a", "b", "10.00", null, Map.of());
        var refuse = assertInstanceOf(TransferDecision.Refuse.class, TransferDecider.decide("tx",
                new RequestTransfer("c2", onePhase, null, null, T0), RESERVED));
        assertEquals("transfer-exists", refuse.rejection().code());
        assertEquals("Transfer tx already exists with a different twoPhase", refuse.rejection().detail());
    }

    @Test
    void the_reservation_report_answers_those_who_joined_and_the_same_request_later_replays_it() {
        var started = new TransferState.Started(TERMS, null, T0, "c1", null, List.of("c2"));
        var reserve = assertInstanceOf(TransferDecision.Reserve.class,
                TransferDecider.decide("tx", new RecordReservation(TERMS, T0, RESERVATION), started));
        assertEquals(List.of("c2"), reserve.answer(), "the first request hears it from the source itself");
        var replay = assertInstanceOf(TransferDecision.Replay.class, TransferDecider.decide("tx",
                new RequestTransfer("c3", TERMS, null, null, T0), reserve.next()));
        assertEquals("RESERVED", replay.outcome().status());
    }

    @Test
    void a_post_goes_to_the_source_and_the_same_post_meanwhile_waits_while_another_is_refused() {
        var resolve = assertInstanceOf(TransferDecision.Resolve.class,
                TransferDecider.decide("tx", new RequestPost("p1", "4.00", null), RESERVED));
        assertEquals(Action.POST, resolve.next().action());
        assertEquals("4.00", resolve.next().argument());

        var join = assertInstanceOf(TransferDecision.JoinResolving.class,
                TransferDecider.decide("tx", new RequestPost("p2", "4.0", null), resolve.next()));
        assertEquals(List.of("p2"), join.next().waiting());
        assertEquals("transfer-not-reserved", assertInstanceOf(TransferDecision.Refuse.class,
                TransferDecider.decide("tx", new RequestPost("p3", "5.00", null), resolve.next())).rejection().code());
        assertEquals("transfer-not-reserved", assertInstanceOf(TransferDecision.Refuse.class,
                TransferDecider.decide("tx", new RequestVoid("v1", null, null), resolve.next())).rejection().code());
    }

    @Test
    void a_completed_post_answers_only_the_joiners_since_its_saga_answered_the_first() {
        var resolving = new TransferState.Resolving(RESERVED, Action.POST, null, "p1", List.of("p2"));
        TransferOutcome completed = new TransferOutcome("COMPLETED", 1000, "USD", 2, null, null, T0,
                Map.of("a", 5L, "b", 2L), "alice");
        var settle = assertInstanceOf(TransferDecision.Settle.class,
                TransferDecider.decide("tx", new RecordSettlement(TERMS, T0, completed), resolving));
        assertEquals(List.of("p2"), settle.answer());
        assertEquals(EXPIRY, settle.next().outcome().expiresAt(), "the reservation's expiry stays on the record");
    }

    @Test
    void an_expiry_that_beat_a_post_or_a_void_answers_everyone_with_the_expired_transfer() {
        TransferOutcome expired = new TransferOutcome("EXPIRED", 1000, "USD", 2, null, null, EXPIRY, Map.of("a", 4L),
                "alice");
        for (Action action : Action.values()) {
            var resolving = new TransferState.Resolving(RESERVED, action, null, "x1", List.of("x2"));
            var settle = assertInstanceOf(TransferDecision.Settle.class,
                    TransferDecider.decide("tx", new RecordSettlement(TERMS, T0, expired), resolving));
            assertEquals(List.of("x1", "x2"), settle.answer(), action.name());
            assertEquals("EXPIRED", settle.next().outcome().status());
        }
    }

    @Test
    void a_void_is_answered_by_the_transfer_id_which_knows_the_whole_transfer() {
        var resolving = new TransferState.Resolving(RESERVED, Action.VOID, "no", "v1", List.of());
        TransferOutcome voided = new TransferOutcome("VOIDED", 1000, "USD", 2, null, "no", T0, Map.of("a", 4L), "alice");
        var settle = assertInstanceOf(TransferDecision.Settle.class,
                TransferDecider.decide("tx", new RecordSettlement(TERMS, T0, voided), resolving));
        assertEquals(List.of("v1"), settle.answer());
    }

    @Test
    void a_refused_post_reopens_the_reservation_and_tells_everyone_waiting() {
        var resolving = new TransferState.Resolving(RESERVED, Action.POST, "99.00", "p1", List.of("p2"));
        var reopen = assertInstanceOf(TransferDecision.Reopen.class, TransferDecider.decide("tx",
                new RecordRefusal(Rejection.of("account-frozen", "frozen")), resolving));
        assertEquals(RESERVED, reopen.next());
        assertEquals(List.of("p1", "p2"), reopen.answer());
    }

    @Test
    void after_the_end_the_same_action_replays_and_the_other_is_refused() {
        TransferOutcome voided = new TransferOutcome("VOIDED", 1000, "USD", 2, null, null, T0, Map.of("a", 4L), "alice",
                EXPIRY);
        var ended = new TransferState.Settled(TERMS, null, T0, voided);
        assertInstanceOf(TransferDecision.Replay.class,
                TransferDecider.decide("tx", new RequestVoid("v2", null, null), ended));
        assertEquals("transfer-not-reserved", assertInstanceOf(TransferDecision.Refuse.class,
                TransferDecider.decide("tx", new RequestPost("p2", null, null), ended)).rejection().code());
    }

    @Test
    void a_customer_cannot_tell_someone_elses_transfer_from_a_missing_one() {
        for (TransferCommand request : List.of(new RequestPost("p1", null, "mallory"),
                new RequestVoid("v1", null, "mallory"))) {
            var refuse = assertInstanceOf(TransferDecision.Refuse.class, TransferDecider.decide("tx", request, RESERVED));
            assertEquals("transfer-not-found", refuse.rejection().code());
            var missing = assertInstanceOf(TransferDecision.Refuse.class,
                    TransferDecider.decide("tx", request, TransferDecider.INITIAL));
            assertEquals(missing.rejection(), refuse.rejection(), "the same answer, word for word");
        }
        assertInstanceOf(TransferDecision.Resolve.class,
                TransferDecider.decide("tx", new RequestPost("p1", null, "alice"), RESERVED));
    }
}
