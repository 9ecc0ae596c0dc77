package dev.tally.command.transfers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tally.command.ledger.Rejection;
import dev.tally.command.transfers.TransferCommand.RecordRefusal;
import dev.tally.command.transfers.TransferCommand.RecordSettlement;
import dev.tally.command.transfers.TransferCommand.RequestTransfer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transfer id's rules: given its state, when a request or a report comes, then the decision. */
class TransferDeciderTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final TransferTerms TERMS = new TransferTerms("a", "b", "10.00", null, Map.of());
    private static final TransferOutcome COMPLETED = new TransferOutcome("COMPLETED", 1000, "USD", 2, null, null, T0,
            Map.of("a", 3L, "b", 1L), "alice");

    @Test
    void an_unused_id_is_claimed_by_its_first_request() {
        var start = assertInstanceOf(TransferDecision.Start.class,
                TransferDecider.decide("tx", request("c1", TERMS, null, T0), TransferDecider.INITIAL));
        assertEquals("c1", start.next().originCommandId());
        assertEquals(T0, start.next().requestedAt());
    }

    @Test
    void the_same_request_while_in_flight_joins_and_waits_for_the_outcome() {
        var join = assertInstanceOf(TransferDecision.Join.class,
                TransferDecider.decide("tx", request("c2", TERMS, "k2", T1), started()));
        assertEquals(List.of("c2"), join.next().waiting());
        assertEquals(T0, join.next().requestedAt(), "the first request's time stays");
    }

    @Test
    void the_same_request_after_settlement_replays_the_outcome_with_any_key() {
        for (String key : new String[] {null, "k1", "k2"}) {
            var replay = assertInstanceOf(TransferDecision.Replay.class,
                    TransferDecider.decide("tx", request("c9", TERMS, key, T1), settled()));
            assertEquals("COMPLETED", replay.outcome().status());
        }
    }

    @Test
    void another_request_under_a_used_id_is_transfer_exists_naming_the_id_and_the_fields() {
        TransferTerms other = new TransferTerms("c", "b", "12.00", null, Map.of());
        var refuse = assertInstanceOf(TransferDecision.Refuse.class,
                TransferDecider.decide("tx", request("c2", other, "k9", T1), settled()));
        assertEquals("transfer-exists", refuse.rejection().code());
        assertEquals("Transfer tx already exists with a different fromAccountId, amount", refuse.rejection().detail());
    }

    @Test
    void another_request_under_the_key_the_id_was_claimed_with_is_idempotency_key_reused() {
        TransferTerms other = new TransferTerms("a", "b", "12.00", null, Map.of());
        var refuse = assertInstanceOf(TransferDecision.Refuse.class,
                TransferDecider.decide("tx", request("c2", other, "k1", T1), started()));
        assertEquals("idempotency-key-reused", refuse.rejection().code());
    }

    @Test
    void a_customer_who_does_not_own_the_source_hears_nothing_about_the_transfer() {
        var asMallory = new RequestTransfer("c2", TERMS, null, "mallory", T1);
        var refuse = assertInstanceOf(TransferDecision.Refuse.class, TransferDecider.decide("tx", asMallory, settled()));
        assertEquals("account-not-found", refuse.rejection().code());
        var asAlice = new RequestTransfer("c3", TERMS, null, "alice", T1);
        assertInstanceOf(TransferDecision.Replay.class, TransferDecider.decide("tx", asAlice, settled()));
    }

    @Test
    void a_refusal_of_the_debit_frees_the_id_and_answers_everyone_waiting() {
        var joined = ((TransferDecision.Join) TransferDecider.decide("tx", request("c2", TERMS, null, T1), started()))
                .next();
        var release = assertInstanceOf(TransferDecision.Release.class, TransferDecider.decide("tx",
                new RecordRefusal(Rejection.of("insufficient-funds", "no")), joined));
        assertEquals(List.of("c1", "c2"), release.answer());
    }

    @Test
    void a_settlement_is_remembered_once_and_a_repeated_one_is_ignored() {
        var settle = assertInstanceOf(TransferDecision.Settle.class,
                TransferDecider.decide("tx", new RecordSettlement(TERMS, T0, COMPLETED), started()));
        assertEquals(T0, settle.next().requestedAt());
        assertInstanceOf(TransferDecision.Ignore.class,
                TransferDecider.decide("tx", new RecordSettlement(TERMS, T0, COMPLETED), settle.next()));
    }

    @Test
    void a_refusal_after_settlement_changes_nothing() {
        assertInstanceOf(TransferDecision.Ignore.class, TransferDecider.decide("tx",
                new RecordRefusal(Rejection.of("insufficient-funds", "late")), settled()));
    }

    private static RequestTransfer request(String commandId, TransferTerms terms, String key, Instant at) {
        return new RequestTransfer(commandId, terms, key, null, at);
    }

    private static TransferState.Started started() {
        return new TransferState.Started(TERMS, "k1", T0, "c1", null, List.of());
    }

    private static TransferState.Settled settled() {
        return new TransferState.Settled(TERMS, "k1", T0, COMPLETED);
    }
}
