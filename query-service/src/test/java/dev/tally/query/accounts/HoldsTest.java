package dev.tally.query.accounts;

import static dev.tally.query.Problems.assertProblem;
import static dev.tally.query.Problems.assertValidation;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.query.ReadModelDatabase;
import dev.tally.query.ReadModelRows;
import dev.tally.query.Tokens;
import dev.tally.schemas.ConsistencyToken;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Holds as the query service shows them: {@code held} and {@code available} on the account (now and
 * as of any instant), and {@code GET /accounts/{id}/holds} with its pages, status filter, owner
 * confinement, parameter checks and consistency wait. Rows written as the accounts projection writes them.
 */
@QuarkusTest
@WithTestResource(ReadModelDatabase.class)
class HoldsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant EXPIRY = Instant.parse("2026-12-08T09:00:00Z");

    private String teller;
    private ReadModelRows rows;

    /** alice-usd: 100.00 deposited; h-a captured 25.00 of 30.00, h-b released, h-c expired, h-d open (5.00). */
    @BeforeEach
    void givenHoldsClosedEveryWayAndOneOpen() {
        teller = Tokens.teller();
        rows = ReadModelRows.empty()
                .opened("alice-usd", "alice", "USD", 2, at(1))
                .deposited("alice-usd", 10_000, at(2))
                .held("alice-usd", "h-a", 3000, EXPIRY, at(3))
                .held("alice-usd", "h-b", 2000, EXPIRY, at(4))
                .held("alice-usd", "h-c", 1000, at(5).plusSeconds(60), at(5))
                .held("alice-usd", "h-d", 500, EXPIRY, at(6))
                .captured("alice-usd", "h-a", 2500, at(7))
                .released("alice-usd", "h-b", at(9))
                .expired("alice-usd", "h-c", at(10))
                .opened("bob-usd", "bob", "USD", 2, at(1))
                .deposited("bob-usd", 1000, at(2))
                .held("bob-usd", "b-1", 100, EXPIRY, at(3));
    }

    @Test
    void the_account_shows_what_is_held_and_what_is_available() {
        given().header("Authorization", teller)
                .when().get("/accounts/alice-usd")
                .then().statusCode(200)
                .body("balance", equalTo("75.00")).body("held", equalTo("5.00")).body("available", equalTo("70.00"))
                .body("overdraftLimit", equalTo("0.00")).body("version", equalTo(10));
        given().header("Authorization", teller).queryParam("owner", "alice")
                .when().get("/accounts")
                .then().statusCode(200).body("items[0].held", equalTo("5.00")).body("items[0].available", equalTo("70.00"));
    }

    @Test
    void as_of_an_instant_the_account_shows_what_was_held_and_available_then() {
        asOf(at(2), "100.00", "0.00", "100.00", 2);
        asOf(at(6), "100.00", "65.00", "35.00", 6);
        // The capture and its withdrawal share an instant: as of it, both; a nanosecond before, neither.
        asOf(at(7), "75.00", "35.00", "40.00", 8);
        asOf(at(7).minusNanos(1), "100.00", "65.00", "35.00", 6);
        asOf(at(9), "75.00", "15.00", "60.00", 9);
        asOf(at(10), "75.00", "5.00", "70.00", 10);
    }

    @Test
    void the_holds_come_by_hold_id_each_with_its_outcome() {
        given().header("Authorization", teller)
                .when().get("/accounts/alice-usd/holds")
                .then().statusCode(200)
                .body("items.holdId", contains("h-a", "h-b", "h-c", "h-d"))
                .body("items.status", contains("CAPTURED", "RELEASED", "EXPIRED", "OPEN"))
                .body("items.amount", contains("30.00", "20.00", "10.00", "5.00"))
                .body("items.capturedAmount", contains("25.00", null, null, null))
                .body("items.releasedAmount", contains("5.00", "20.00", "10.00", null))
                .body("items.closedAt", contains(at(7).toString(), at(9).toString(), at(10).toString(), null))
                .body("items.placedAt", contains(at(3).toString(), at(4).toString(), at(5).toString(), at(6).toString()))
                .body("items[2].expiresAt", equalTo(at(5).plusSeconds(60).toString()))
                .body("items.accountId", contains("alice-usd", "alice-usd", "alice-usd", "alice-usd"))
                .body("items.currency", contains("USD", "USD", "USD", "USD"))
                .body("items[0].reference", equalTo("ref h-a"))
                .body("items[0].metadata.order", equalTo("o-1"))
                .body("items[3]", not(hasKey("capturedAmount"))).body("items[3]", not(hasKey("closedAt")))
                .body("next", nullValue());
    }

    @Test
    void pages_of_holds_follow_the_cursor_to_an_empty_page() {
        page(null, 2, null).body("items.holdId", contains("h-a", "h-b")).body("next", equalTo("h-b"));
        page(null, 2, "h-b").body("items.holdId", contains("h-c", "h-d")).body("next", equalTo("h-d"));
        page(null, 2, "h-d").body("items", empty()).body("next", nullValue());
        page(null, 3, "h-a").body("items.holdId", contains("h-b", "h-c", "h-d")).body("next", equalTo("h-d"));
    }

    @Test
    void a_status_filter_keeps_the_holds_in_that_status_and_pages_within_it() {
        page("OPEN", 50, null).body("items.holdId", contains("h-d")).body("next", nullValue());
        page("CAPTURED", 50, null).body("items.holdId", contains("h-a"));
        page("RELEASED", 50, null).body("items.holdId", contains("h-b"));
        page("EXPIRED", 1, null).body("items.holdId", contains("h-c")).body("next", equalTo("h-c"));
        page("EXPIRED", 1, "h-c").body("items", empty()).body("next", nullValue());
        page("OPEN", 50, "h-d").body("items", empty());
        given().header("Authorization", teller).queryParam("status", "OPEN")
                .when().get("/accounts/bob-usd/holds")
                .then().statusCode(200).body("items.holdId", contains("b-1")).body("items[0].amount", equalTo("1.00"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"open", "PENDING", "OPEN,CAPTURED", "OPEN "})
    void a_status_that_is_not_one_is_a_validation_problem(String status) {
        assertValidation(given().header("Authorization", teller).queryParam("status", status)
                .when().get("/accounts/alice-usd/holds"), "status");
    }

    @Test
    void a_malformed_cursor_or_limit_is_a_validation_problem() {
        assertValidation(given().header("Authorization", teller).queryParam("after", "not an id")
                .when().get("/accounts/alice-usd/holds"), "after");
        assertValidation(given().header("Authorization", teller).queryParam("limit", "501")
                .when().get("/accounts/alice-usd/holds"), "limit");
    }

    @Test
    void an_account_that_is_missing_or_cannot_be_one_is_not_found() {
        assertProblem(given().header("Authorization", teller).when().get("/accounts/nobody/holds"), 404,
                "account-not-found");
        assertProblem(given().header("Authorization", teller).when().get("/accounts/-dash/holds"), 404,
                "account-not-found");
    }

    @Test
    void a_customer_sees_its_own_holds_and_another_owners_account_exactly_as_a_missing_one() {
        String alice = Tokens.customer("alice");
        given().header("Authorization", alice).queryParam("status", "OPEN")
                .when().get("/accounts/alice-usd/holds")
                .then().statusCode(200).body("items.holdId", contains("h-d"));
        JsonPath others = assertProblem(given().header("Authorization", alice).when().get("/accounts/bob-usd/holds"),
                404, "account-not-found").extract().jsonPath();
        JsonPath missing = assertProblem(given().header("Authorization", alice).when().get("/accounts/nobody/holds"),
                404, "account-not-found").extract().jsonPath();
        assertEquals(withoutId(missing.getMap(""), "nobody"), withoutId(others.getMap(""), "bob-usd"));
    }

    @Test
    void a_consistency_token_waits_for_the_accounts_projection() {
        String reached = ConsistencyToken.of("alice-usd", rows.version("alice-usd")).encode();
        given().header("Authorization", teller).header("Consistency-Token", reached)
                .when().get("/accounts/alice-usd/holds")
                .then().statusCode(200).body("items.holdId", contains("h-a", "h-b", "h-c", "h-d"));
        String ahead = ConsistencyToken.of("alice-usd", rows.version("alice-usd") + 1).encode();
        assertProblem(given().header("Authorization", teller).header("Consistency-Token", ahead)
                .header("Consistency-Wait", "200").when().get("/accounts/alice-usd/holds"), 503, "projection-lagging")
                .header("Retry-After", "1");
        assertValidation(given().header("Authorization", teller).header("Consistency-Token", "garbage")
                .when().get("/accounts/alice-usd/holds"), "Consistency-Token");
    }

    private io.restassured.response.ValidatableResponse page(String status, int limit, String after) {
        var request = given().header("Authorization", teller).queryParam("limit", limit);
        if (status != null) {
            request = request.queryParam("status", status);
        }
        if (after != null) {
            request = request.queryParam("after", after);
        }
        return request.when().get("/accounts/alice-usd/holds").then().statusCode(200);
    }

    private void asOf(Instant at, String balance, String held, String available, int version) {
        given().header("Authorization", teller).queryParam("asOf", at.toString())
                .when().get("/accounts/alice-usd")
                .then().statusCode(200)
                .body("balance", equalTo(balance)).body("held", equalTo(held)).body("available", equalTo(available))
                .body("version", equalTo(version));
    }

    private static Instant at(int minute) {
        return T0.plusSeconds(60L * minute);
    }

    private static Map<String, Object> withoutId(Map<String, Object> problem, String id) {
        Map<String, Object> copy = new HashMap<>(problem);
        copy.put("detail", String.valueOf(copy.get("detail")).replace(id, "<id>"));
        return copy;
    }
}
