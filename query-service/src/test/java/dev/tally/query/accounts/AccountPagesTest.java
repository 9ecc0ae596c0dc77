package dev.tally.query.accounts;

import static dev.tally.query.Problems.assertValidation;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.tally.query.ReadModelDatabase;
import dev.tally.query.ReadModelRows;
import dev.tally.query.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyset pages of statement lines and of accounts: limits, cursors, the last row and empty pages. */
@QuarkusTest
@WithTestResource(ReadModelDatabase.class)
class AccountPagesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.000001Z");

    private String teller;

    @BeforeEach
    void givenFiveDeposits() {
        teller = Tokens.teller();
        ReadModelRows rows = ReadModelRows.empty()
                .opened("alice-usd", "alice", "USD", 2, T0)
                .opened("alice-eur", "alice", "EUR", 2, T0)
                .opened("alice-jpy", "alice", "JPY", 0, T0)
                .opened("bob-usd", "bob", "USD", 2, T0);
        for (int i = 1; i <= 5; i++) {
            rows.deposited("alice-usd", i * 100L, T0.plusSeconds(i));
        }
    }

    @Test
    void statement_lines_come_oldest_first_with_signed_amounts_and_running_balances() {
        given().header("Authorization", teller)
                .when().get("/accounts/alice-usd/entries")
                .then().statusCode(200)
                // sequence 1 is AccountOpened, which moves no money and makes no line
                .body("items.sequence", contains(2, 3, 4, 5, 6))
                .body("items.type", contains("DEPOSIT", "DEPOSIT", "DEPOSIT", "DEPOSIT", "DEPOSIT"))
                .body("items.amount", contains("1.00", "2.00", "3.00", "4.00", "5.00"))
                .body("items.balanceAfter", contains("1.00", "3.00", "6.00", "10.00", "15.00"))
                .body("items[0].transactionId", equalTo("tx-alice-usd-2"))
                .body("items[0].occurredAt", equalTo("2026-03-01T10:00:01.000001Z"))
                .body("next", nullValue());
    }

    @Test
    void pages_follow_the_cursor_to_a_short_last_page_without_next() {
        given().header("Authorization", teller).queryParam("limit", 2)
                .when().get("/accounts/alice-usd/entries")
                .then().statusCode(200).body("items.sequence", contains(2, 3)).body("next", equalTo("3"));
        given().header("Authorization", teller).queryParam("limit", 2).queryParam("after", "3")
                .when().get("/accounts/alice-usd/entries")
                .then().statusCode(200).body("items.sequence", contains(4, 5)).body("next", equalTo("5"));
        given().header("Authorization", teller).queryParam("limit", 2).queryParam("after", "5")
                .when().get("/accounts/alice-usd/entries")
                .then().statusCode(200).body("items.sequence", contains(6)).body("next", nullValue());
    }

    @Test
    void a_full_page_ending_at_the_last_row_names_it_and_the_cursor_at_the_last_row_gives_an_empty_page() {
        given().header("Authorization", teller).queryParam("limit", 5)
                .when().get("/accounts/alice-usd/entries")
                .then().statusCode(200).body("items.sequence", contains(2, 3, 4, 5, 6)).body("next", equalTo("6"));
        given().header("Authorization", teller).queryParam("after", "6")
                .when().get("/accounts/alice-usd/entries")
                .then().statusCode(200).body("items", empty()).body("next", nullValue());
        given().header("Authorization", teller).queryParam("after", String.valueOf(Long.MAX_VALUE))
                .when().get("/accounts/alice-usd/entries")
                .then().statusCode(200).body("items", empty()).body("next", nullValue());
    }

    @Test
    void an_account_without_movements_has_an_empty_statement_and_a_missing_one_has_none() {
        given().header("Authorization", teller)
                .when().get("/accounts/alice-eur/entries")
                .then().statusCode(200).body("items", empty()).body("next", nullValue());
        given().header("Authorization", teller)
                .when().get("/accounts/nobody/entries")
                .then().statusCode(404).body("code", equalTo("account-not-found"));
    }

    @Test
    void limits_one_and_five_hundred_are_the_bounds() {
        given().header("Authorization", teller).queryParam("limit", 1)
                .when().get("/accounts/alice-usd/entries")
                .then().statusCode(200).body("items.sequence", contains(2)).body("next", equalTo("2"));
        given().header("Authorization", teller).queryParam("limit", 500)
                .when().get("/accounts/alice-usd/entries")
                .then().statusCode(200).body("items.sequence", contains(2, 3, 4, 5, 6)).body("next", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501", "-1", "abc", "1.5", "2147483648"})
    void a_limit_outside_one_to_five_hundred_is_a_validation_problem(String limit) {
        assertValidation(given().header("Authorization", teller).queryParam("limit", limit)
                .when().get("/accounts/alice-usd/entries"), "limit");
        assertValidation(given().header("Authorization", teller).queryParam("limit", limit)
                .when().get("/accounts"), "limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "3.0", "99999999999999999999"})
    void a_statement_cursor_that_is_not_a_sequence_is_a_validation_problem(String after) {
        assertValidation(given().header("Authorization", teller).queryParam("after", after)
                .when().get("/accounts/alice-usd/entries"), "after");
    }

    @Test
    void accounts_page_by_id_within_an_owner() {
        given().header("Authorization", teller).queryParam("owner", "alice").queryParam("limit", 2)
                .when().get("/accounts")
                .then().statusCode(200).body("items.accountId", contains("alice-eur", "alice-jpy"))
                .body("items.balance", contains("0.00", "0"))
                .body("next", equalTo("alice-jpy"));
        given().header("Authorization", teller).queryParam("owner", "alice").queryParam("limit", 2)
                .queryParam("after", "alice-jpy")
                .when().get("/accounts")
                .then().statusCode(200).body("items.accountId", contains("alice-usd"))
                .body("items[0].balance", equalTo("15.00")).body("items[0].version", equalTo(6))
                .body("next", nullValue());
        given().header("Authorization", teller).queryParam("owner", "alice").queryParam("after", "alice-usd")
                .when().get("/accounts")
                .then().statusCode(200).body("items", empty()).body("next", nullValue());
        given().header("Authorization", teller).queryParam("owner", "carol")
                .when().get("/accounts")
                .then().statusCode(200).body("items", empty()).body("next", nullValue());
    }

    @Test
    void staff_without_an_owner_filter_page_through_every_account() {
        given().header("Authorization", teller).queryParam("limit", 3)
                .when().get("/accounts")
                .then().statusCode(200).body("items.accountId", contains("alice-eur", "alice-jpy", "alice-usd"))
                .body("next", equalTo("alice-usd"));
        given().header("Authorization", teller).queryParam("limit", 3).queryParam("after", "alice-usd")
                .when().get("/accounts")
                .then().statusCode(200).body("items.accountId", contains("bob-usd")).body("next", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not an id", "-starts-with-dash", "é"})
    void an_accounts_cursor_that_is_not_an_id_is_a_validation_problem(String after) {
        assertValidation(given().header("Authorization", teller).queryParam("after", after)
                .when().get("/accounts"), "after");
    }
}
