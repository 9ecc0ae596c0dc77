package dev.tally.query.transfers;

import static dev.tally.query.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.tally.query.ReadModelDatabase;
import dev.tally.query.ReadModelRows;
import dev.tally.query.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reversals as the query service shows them, both ways: {@code GET /transfers/{id}} of a reversal
 * names what it reverses ({@code reversalOf}); of a completed transfer, how much its completed
 * reversals moved back ({@code reversedAmount}) and which ({@code reversals}, oldest first); a
 * reversal's statement lines carry {@code reversalOf}, and so do its events' audit details. Rows
 * written as the projections write them.
 */
@QuarkusTest
@WithTestResource(ReadModelDatabase.class)
class ReversalsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    private String teller;

    /**
     * alice-usd: 100.00; t-1 moves 60.00 to bob; reversed: rev-b 20.00 (completed first), rev-x 10.00
     * (refunded: counts nothing), rev-a 5.00 (completed later: the list is by time, not by id), rev-f
     * 1.00 (still in flight: counts nothing yet); rev-b itself reversed by rr-1 4.00; t-2 1.00, never
     * reversed.
     */
    @BeforeEach
    void givenATransferReversedInPart() {
        teller = Tokens.teller();
        ReadModelRows.empty()
                .opened("alice-usd", "alice", "USD", 2, at(1))
                .opened("bob-usd", "bob", "USD", 2, at(1))
                .deposited("alice-usd", 10_000, at(2))
                .transferred("t-1", "alice-usd", "bob-usd", 6000, at(3))
                .reversed("rev-b", "t-1", 2000, at(4))
                .reversalRefunded("rev-x", "t-1", 1000, at(5))
                .reversed("rev-a", "t-1", 500, at(6))
                .reversalInFlight("rev-f", "t-1", 100, at(7))
                .reversed("rr-1", "rev-b", 400, at(8))
                .transferred("t-2", "alice-usd", "bob-usd", 100, at(9));
    }

    @Test
    void a_transfer_reversed_in_part_shows_what_its_completed_reversals_moved_back_and_which_oldest_first() {
        transfer("t-1").body("status", equalTo("COMPLETED")).body("amount", equalTo("60.00"))
                .body("reversedAmount", equalTo("25.00"))
                .body("reversals", contains("rev-b", "rev-a"))
                .body("$", not(hasKey("reversalOf")));
    }

    @Test
    void a_reversal_names_the_transfer_it_reverses_and_goes_the_other_way() {
        transfer("rev-a").body("reversalOf", equalTo("t-1")).body("status", equalTo("COMPLETED"))
                .body("fromAccountId", equalTo("bob-usd")).body("toAccountId", equalTo("alice-usd"))
                .body("amount", equalTo("5.00")).body("reversedAmount", equalTo("0.00")).body("reversals", empty());
        // A reversal reversed in turn: both links on one transfer.
        transfer("rev-b").body("reversalOf", equalTo("t-1")).body("reversedAmount", equalTo("4.00"))
                .body("reversals", contains("rr-1"));
        transfer("rr-1").body("reversalOf", equalTo("rev-b")).body("fromAccountId", equalTo("alice-usd"))
                .body("toAccountId", equalTo("bob-usd"));
    }

    @Test
    void a_refunded_or_pending_reversal_names_the_original_but_has_nothing_reversed_itself() {
        transfer("rev-x").body("status", equalTo("REFUNDED")).body("reversalOf", equalTo("t-1"))
                .body("reasonCode", equalTo("account-closed"))
                .body("$", not(hasKey("reversedAmount"))).body("$", not(hasKey("reversals")));
        transfer("rev-f").body("status", equalTo("PENDING")).body("reversalOf", equalTo("t-1"))
                .body("$", not(hasKey("reversedAmount"))).body("$", not(hasKey("reversals")));
    }

    @Test
    void a_completed_transfer_never_reversed_shows_zero_and_no_reversals() {
        transfer("t-2").body("status", equalTo("COMPLETED")).body("reversedAmount", equalTo("0.00"))
                .body("reversals", empty()).body("$", not(hasKey("reversalOf")));
    }

    @Test
    void the_reversals_statement_lines_name_the_original_and_no_other_line_does() {
        // bob: t-1 in, rev-b out, rev-x out and refunded, rev-a out, rev-f out, rr-1 in, t-2 in.
        given().header("Authorization", teller).when().get("/accounts/bob-usd/entries")
                .then().statusCode(200)
                .body("items.transferId", contains("t-1", "rev-b", "rev-x", "rev-x", "rev-a", "rev-f", "rr-1", "t-2"))
                .body("items.type", contains("TRANSFER_IN", "TRANSFER_OUT", "TRANSFER_OUT", "TRANSFER_REFUND",
                        "TRANSFER_OUT", "TRANSFER_OUT", "TRANSFER_IN", "TRANSFER_IN"))
                .body("items.reversalOf", contains(null, "t-1", "t-1", null, "t-1", "t-1", "rev-b", null))
                .body("items[0]", not(hasKey("reversalOf"))).body("items[3]", not(hasKey("reversalOf")));
        // alice: the deposit, t-1 out, rev-b and rev-a in (rev-x and rev-f never arrived), rr-1 out, t-2 out.
        given().header("Authorization", teller).when().get("/accounts/alice-usd/entries")
                .then().statusCode(200)
                .body("items.transferId", contains(null, "t-1", "rev-b", "rev-a", "rr-1", "t-2"))
                .body("items.reversalOf", contains(null, null, "t-1", "t-1", "rev-b", null))
                .body("items[2].amount", equalTo("20.00")).body("items[2].counterpartyAccountId", equalTo("bob-usd"))
                // The other fields keep their nulls, as before: only reversalOf is left out when it has none.
                .body("items[0]", hasKey("transferId")).body("items[0]", not(hasKey("reversalOf")));
    }

    @Test
    void the_audit_trail_shows_the_link_among_a_reversal_events_details() {
        given().header("Authorization", Tokens.auditor()).queryParam("accountId", "bob-usd")
                .when().get("/audit")
                .then().statusCode(200)
                .body("items.type", contains("AccountOpened", "TransferCredited", "TransferDebited", "TransferDebited",
                        "TransferRefunded", "TransferDebited", "TransferDebited", "TransferCredited", "TransferCredited"))
                .body("items.details.reversalOf", contains(null, null, "t-1", "t-1", null, "t-1", "t-1", "rev-b", null))
                .body("items[2].details.transferId", equalTo("rev-b"));
    }

    @Test
    void whoever_sees_the_transfer_sees_its_reversals_and_a_stranger_sees_neither() {
        given().header("Authorization", Tokens.customer("alice")).when().get("/transfers/t-1")
                .then().statusCode(200).body("reversals", contains("rev-b", "rev-a"));
        given().header("Authorization", Tokens.customer("bob")).when().get("/transfers/rev-b")
                .then().statusCode(200).body("reversalOf", equalTo("t-1"));
        assertProblem(given().header("Authorization", Tokens.customer("carol")).when().get("/transfers/t-1"), 404,
                "transfer-not-found");
        assertProblem(given().header("Authorization", Tokens.customer("carol")).when().get("/transfers/rev-b"), 404,
                "transfer-not-found");
    }

    private ValidatableResponse transfer(String id) {
        return given().header("Authorization", teller).when().get("/transfers/" + id).then().statusCode(200)
                .body("transferId", equalTo(id));
    }

    private static Instant at(int minute) {
        return T0.plusSeconds(60L * minute);
    }
}
