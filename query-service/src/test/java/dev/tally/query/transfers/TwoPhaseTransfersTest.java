package dev.tally.query.transfers;

import static dev.tally.query.Problems.assertProblem;
import static dev.tally.query.Problems.assertValidation;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.tally.query.ReadModelDatabase;
import dev.tally.query.ReadModelRows;
import dev.tally.query.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two-phase transfers as the query service shows them: {@code GET /transfers/{id}} in every status
 * (RESERVED, POSTED, then COMPLETED; VOIDED with its reason, EXPIRED) with {@code twoPhase},
 * {@code reservedAmount} and {@code expiresAt}, a one-phase transfer beside them, and each reservation
 * in {@code GET /accounts/{id}/holds} as the hold {@code transfer/<id>} with its {@code transferId},
 * paged through with such a hold id as the cursor. Rows written as the projections write them.
 */
@QuarkusTest
@WithTestResource(ReadModelDatabase.class)
class TwoPhaseTransfersTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant EXPIRY = Instant.parse("2026-12-08T09:00:00Z");

    private String teller;

    /**
     * alice-usd: 100.00; t-post reserved 30.00, posted 25.00, credited to bob; t-void reserved 20.00,
     * voided; t-exp reserved 10.00, expired; t-open reserved 5.00; t-flight reserved and posted 4.00, not
     * yet credited; a client's hold h-1 of 1.00; a one-phase transfer t-plain of 1.00.
     */
    @BeforeEach
    void givenTwoPhaseTransfersInEveryStatus() {
        teller = Tokens.teller();
        ReadModelRows.empty()
                .opened("alice-usd", "alice", "USD", 2, at(1))
                .opened("bob-usd", "bob", "USD", 2, at(1))
                .deposited("alice-usd", 10_000, at(2))
                .reserved("t-post", "alice-usd", "bob-usd", 3000, EXPIRY, at(3))
                .reserved("t-void", "alice-usd", "bob-usd", 2000, EXPIRY, at(4))
                .reserved("t-exp", "alice-usd", "bob-usd", 1000, at(5).plusSeconds(60), at(5))
                .reserved("t-open", "alice-usd", "bob-usd", 500, EXPIRY, at(6))
                .posted("t-post", 2500, at(7))
                .credited("t-post", at(8))
                .voided("t-void", "changed mind", at(9))
                .reservationExpired("t-exp", at(10))
                .held("alice-usd", "h-1", 100, EXPIRY, at(11))
                .transferred("t-plain", "alice-usd", "bob-usd", 100, at(12))
                .reserved("t-flight", "alice-usd", "bob-usd", 400, EXPIRY, at(13))
                .posted("t-flight", 400, at(14));
    }

    @Test
    void a_reserved_transfer_shows_what_is_reserved_until_when() {
        transfer("t-open").body("status", equalTo("RESERVED")).body("twoPhase", equalTo(true))
                .body("amount", equalTo("5.00")).body("reservedAmount", equalTo("5.00"))
                .body("expiresAt", equalTo(EXPIRY.toString())).body("requestedAt", equalTo(at(6).toString()))
                .body("fromAccountId", equalTo("alice-usd")).body("toAccountId", equalTo("bob-usd"))
                .body("currency", equalTo("USD")).body("reference", equalTo("ref t-open"))
                .body("$", not(hasKey("completedAt"))).body("$", not(hasKey("reason")));
    }

    @Test
    void a_posted_transfer_shows_the_posted_amount_and_once_credited_is_completed() {
        transfer("t-flight").body("status", equalTo("POSTED")).body("twoPhase", equalTo(true))
                .body("amount", equalTo("4.00")).body("reservedAmount", equalTo("4.00"))
                .body("$", not(hasKey("completedAt")));
        transfer("t-post").body("status", equalTo("COMPLETED")).body("twoPhase", equalTo(true))
                .body("amount", equalTo("25.00")).body("reservedAmount", equalTo("30.00"))
                .body("expiresAt", equalTo(EXPIRY.toString())).body("requestedAt", equalTo(at(3).toString()))
                .body("completedAt", equalTo(at(8).toString())).body("$", not(hasKey("reason")));
    }

    @Test
    void a_voided_transfer_shows_its_reason_and_an_expired_one_none() {
        transfer("t-void").body("status", equalTo("VOIDED")).body("twoPhase", equalTo(true))
                .body("amount", equalTo("20.00")).body("reservedAmount", equalTo("20.00"))
                .body("reason", equalTo("changed mind")).body("completedAt", equalTo(at(9).toString()));
        transfer("t-exp").body("status", equalTo("EXPIRED")).body("twoPhase", equalTo(true))
                .body("expiresAt", equalTo(at(5).plusSeconds(60).toString()))
                .body("completedAt", equalTo(at(10).toString())).body("$", not(hasKey("reason")));
    }

    @Test
    void a_one_phase_transfer_says_so_and_has_no_reservation() {
        transfer("t-plain").body("status", equalTo("COMPLETED")).body("twoPhase", equalTo(false))
                .body("amount", equalTo("1.00"))
                .body("$", not(hasKey("reservedAmount"))).body("$", not(hasKey("expiresAt")));
    }

    @Test
    void the_target_sees_a_two_phase_transfer_into_its_account_and_a_stranger_does_not() {
        given().header("Authorization", Tokens.customer("bob")).when().get("/transfers/t-void")
                .then().statusCode(200).body("status", equalTo("VOIDED"));
        assertProblem(given().header("Authorization", Tokens.customer("carol")).when().get("/transfers/t-void"), 404,
                "transfer-not-found");
    }

    @Test
    void the_reservations_are_holds_of_the_source_named_after_their_transfer() {
        given().header("Authorization", teller)
                .when().get("/accounts/alice-usd/holds")
                .then().statusCode(200)
                .body("items.holdId", contains("h-1", "transfer/t-exp", "transfer/t-flight", "transfer/t-open",
                        "transfer/t-post", "transfer/t-void"))
                .body("items.transferId", contains(null, "t-exp", "t-flight", "t-open", "t-post", "t-void"))
                .body("items.status", contains("OPEN", "EXPIRED", "CAPTURED", "OPEN", "CAPTURED", "RELEASED"))
                .body("items.amount", contains("1.00", "10.00", "4.00", "5.00", "30.00", "20.00"))
                .body("items.capturedAmount", contains(null, null, "4.00", null, "25.00", null))
                .body("items.releasedAmount", contains(null, "10.00", "0.00", null, "5.00", "20.00"))
                .body("items.transactionId", contains(null, null, "t-flight", null, "t-post", null))
                .body("items[4].placedAt", equalTo(at(3).toString())).body("items[4].closedAt", equalTo(at(7).toString()))
                .body("items[4].expiresAt", equalTo(EXPIRY.toString()))
                .body("items[4].reference", equalTo("ref t-post")).body("items[4].metadata.invoice", equalTo("i-1"))
                .body("items[0]", not(hasKey("transferId")))
                .body("next", nullValue());
        // Held = the client's hold and the open reservation; the posted money has left the balance.
        given().header("Authorization", teller).when().get("/accounts/alice-usd")
                .then().statusCode(200)
                .body("balance", equalTo("70.00")).body("held", equalTo("6.00")).body("available", equalTo("64.00"));
    }

    @Test
    void a_reservation_is_a_cursor_like_any_hold_id_and_filters_by_status() {
        holds(null, 2, null).body("items.holdId", contains("h-1", "transfer/t-exp")).body("next", equalTo("transfer/t-exp"));
        holds(null, 2, "transfer/t-exp").body("items.holdId", contains("transfer/t-flight", "transfer/t-open"))
                .body("next", equalTo("transfer/t-open"));
        holds(null, 2, "transfer/t-open").body("items.holdId", contains("transfer/t-post", "transfer/t-void"));
        holds(null, 2, "transfer/t-void").body("items", empty()).body("next", nullValue());
        holds("OPEN", 50, null).body("items.holdId", contains("h-1", "transfer/t-open"));
        holds("CAPTURED", 1, "transfer/t-flight").body("items.holdId", contains("transfer/t-post"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"transfer/", "transfer/not an id", "other/t-1", "transfer/t-1/x", "Transfer/t-1"})
    void a_cursor_that_is_no_hold_id_is_a_validation_problem(String after) {
        assertValidation(given().header("Authorization", teller).queryParam("after", after)
                .when().get("/accounts/alice-usd/holds"), "after");
    }

    private ValidatableResponse transfer(String id) {
        return given().header("Authorization", teller).when().get("/transfers/" + id).then().statusCode(200)
                .body("transferId", equalTo(id));
    }

    private ValidatableResponse holds(String status, int limit, String after) {
        var request = given().header("Authorization", teller).queryParam("limit", limit);
        if (status != null) {
            request = request.queryParam("status", status);
        }
        if (after != null) {
            request = request.queryParam("after", after);
        }
        return request.when().get("/accounts/alice-usd/holds").then().statusCode(200);
    }

    private static Instant at(int minute) {
        return T0.plusSeconds(60L * minute);
    }
}
