package dev.tally.query.accounts;

import static dev.tally.query.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.query.ReadModelDatabase;
import dev.tally.query.ReadModelRows;
import dev.tally.query.Tokens;
import dev.tally.schemas.ConsistencyToken;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer sees only its own accounts: another owner's account is exactly a missing one (404
 * {@code account-not-found}), lists hold only its own, and a consistency token naming another
 * owner's account waits like one naming a missing account. With real tokens, authentication on.
 */
@QuarkusTest
@WithTestResource(ReadModelDatabase.class)
class OwnerConfinementTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private String alice;
    private ReadModelRows rows;

    @BeforeEach
    void givenTwoOwners() {
        alice = Tokens.customer("alice");
        rows = ReadModelRows.empty()
                .opened("alice-1", "alice", "USD", 2, T0)
                .opened("alice-2", "alice", "USD", 2, T0)
                .opened("bob-1", "bob", "USD", 2, T0)
                .opened("bob-2", "bob", "USD", 2, T0)
                .deposited("alice-1", 5000, T0.plusSeconds(1))
                .deposited("bob-1", 9000, T0.plusSeconds(1))
                .transferred("alice-to-bob", "alice-1", "bob-1", 1000, T0.plusSeconds(2))
                .transferred("bob-to-bob", "bob-1", "bob-2", 2000, T0.plusSeconds(3));
    }

    @Test
    void a_customer_reads_its_own_account() {
        given().header("Authorization", alice)
                .when().get("/accounts/alice-1")
                .then().statusCode(200)
                .header("ETag", "\"3\"")
                .body("accountId", equalTo("alice-1")).body("balance", equalTo("40.00")).body("version", equalTo(3));
    }

    @Test
    void another_owners_account_is_exactly_a_missing_one_on_every_read() {
        for (String path : new String[] {"", "?asOf=2026-03-01T10:00:05Z", "/balance", "/balance?asOf=2026-03-01T10:00:05Z",
                "/entries", "/daily?from=2026-03-01&to=2026-03-02"}) {
            JsonPath others = assertProblem(given().header("Authorization", alice).when().get("/accounts/bob-1" + path),
                    404, "account-not-found").extract().jsonPath();
            JsonPath missing = assertProblem(given().header("Authorization", alice).when().get("/accounts/nobody" + path),
                    404, "account-not-found").extract().jsonPath();
            assertEquals(withoutId(missing.getMap(""), "nobody"), withoutId(others.getMap(""), "bob-1"),
                    "GET /accounts/{id}" + path + " tells bob's account from a missing one");
        }
    }

    @Test
    void staff_read_any_account() {
        given().header("Authorization", Tokens.teller())
                .when().get("/accounts/bob-1")
                .then().statusCode(200).body("owner", equalTo("bob")).body("balance", equalTo("80.00"));
        given().header("Authorization", Tokens.auditor())
                .when().get("/accounts/bob-1/entries")
                .then().statusCode(200).body("items.type", contains("DEPOSIT", "TRANSFER_IN", "TRANSFER_OUT"))
                .body("items.amount", contains("90.00", "10.00", "-20.00"))
                .body("items.counterpartyAccountId", contains(null, "alice-1", "bob-2"));
    }

    @Test
    void a_customers_list_holds_only_its_own_accounts() {
        given().header("Authorization", alice)
                .when().get("/accounts")
                .then().statusCode(200).body("items.accountId", contains("alice-1", "alice-2"));
        given().header("Authorization", alice).queryParam("after", "alice-2")
                .when().get("/accounts")
                .then().statusCode(200).body("items", empty());
        given().header("Authorization", Tokens.customer("carol"))
                .when().get("/accounts")
                .then().statusCode(200).body("items", empty());
        assertProblem(given().header("Authorization", alice).queryParam("owner", "bob")
                .when().get("/accounts"), 403, "forbidden");
        given().header("Authorization", Tokens.teller())
                .when().get("/accounts")
                .then().statusCode(200).body("items.accountId", contains("alice-1", "alice-2", "bob-1", "bob-2"));
    }

    @Test
    void a_customer_sees_transfers_into_or_out_of_its_accounts_only() {
        given().header("Authorization", alice)
                .when().get("/transfers/alice-to-bob")
                .then().statusCode(200).body("status", equalTo("COMPLETED")).body("amount", equalTo("10.00"))
                .body("fromAccountId", equalTo("alice-1")).body("toAccountId", equalTo("bob-1"));
        given().header("Authorization", Tokens.customer("bob"))
                .when().get("/transfers/alice-to-bob")
                .then().statusCode(200);
        JsonPath others = assertProblem(given().header("Authorization", alice).when().get("/transfers/bob-to-bob"),
                404, "transfer-not-found").extract().jsonPath();
        JsonPath missing = assertProblem(given().header("Authorization", alice).when().get("/transfers/no-such"),
                404, "transfer-not-found").extract().jsonPath();
        assertEquals(withoutId(missing.getMap(""), "no-such"), withoutId(others.getMap(""), "bob-to-bob"));
    }

    @Test
    void a_customer_may_not_read_the_audit_trail() {
        assertProblem(given().header("Authorization", alice).when().get("/audit"), 403, "forbidden");
    }

    @Test
    void a_token_naming_another_owners_account_waits_like_one_naming_a_missing_account() {
        // bob-1 is at version 4 in every projection: a teller's read with this token goes ahead at once.
        String bobs = ConsistencyToken.of("bob-1", 1).encode();
        given().header("Authorization", Tokens.teller()).header("Consistency-Token", bobs)
                .when().get("/accounts/bob-1").then().statusCode(200);
        for (String path : new String[] {"/accounts/alice-1", "/accounts", "/accounts/alice-1/entries"}) {
            JsonPath others = assertProblem(given().header("Authorization", alice).header("Consistency-Token", bobs)
                    .header("Consistency-Wait", "200").when().get(path), 503, "projection-lagging")
                    .header("Retry-After", "1").extract().jsonPath();
            JsonPath missing = assertProblem(given().header("Authorization", alice)
                    .header("Consistency-Token", ConsistencyToken.of("nobody", 1).encode())
                    .header("Consistency-Wait", "200").when().get(path), 503, "projection-lagging")
                    .extract().jsonPath();
            assertEquals(missing.getMap(""), others.getMap(""), path);
        }
    }

    @Test
    void in_a_token_naming_its_own_and_another_owners_account_only_its_own_is_waited_for() {
        String own = ConsistencyToken.of("alice-1", rows.version("alice-1")).encode();
        given().header("Authorization", alice).header("Consistency-Token", own).header("Consistency-Wait", "2000")
                .when().get("/accounts/alice-1").then().statusCode(200).body("balance", equalTo("40.00"));
        // bob-1 at a version it has not reached counts as absent, as "nobody" does: the read goes ahead.
        for (String other : new String[] {"bob-1", "nobody"}) {
            String token = new ConsistencyToken(Map.of("alice-1", rows.version("alice-1"), other, 99L)).encode();
            given().header("Authorization", alice).header("Consistency-Token", token).header("Consistency-Wait", "2000")
                    .when().get("/accounts/alice-1").then().statusCode(200).body("balance", equalTo("40.00"));
        }
    }

    /** The problem with the id taken out of its detail: what is left must not tell the two apart. */
    private static Map<String, Object> withoutId(Map<String, Object> problem, String id) {
        Map<String, Object> copy = new java.util.HashMap<>(problem);
        copy.put("detail", String.valueOf(copy.get("detail")).replace(id, "<id>"));
        return copy;
    }
}
