package dev.tally.query.accounts;

import static dev.tally.query.Problems.assertProblem;
import static dev.tally.query.Problems.assertValidation;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.tally.query.ReadModelDatabase;
import dev.tally.query.ReadModelRows;
import dev.tally.query.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Time travel at the edges: an instant equal to an event's time includes that event; one nanosecond
 * or one microsecond earlier does not. Events carry microseconds (timestamp-micros), as PostgreSQL stores them.
 */
@QuarkusTest
@WithTestResource(ReadModelDatabase.class)
class AsOfTest {

    private static final Instant OPENED = Instant.parse("2026-03-01T10:00:00.000001Z");
    private static final Instant DEPOSITED = Instant.parse("2026-03-01T11:00:00.000500Z");
    /** One microsecond after the deposit: the smallest step two events can be apart. */
    private static final Instant WITHDRAWN = DEPOSITED.plus(1, ChronoUnit.MICROS);
    /** Two events at the same instant: the later sequence is the account as of then. */
    private static final Instant TWICE = Instant.parse("2026-03-02T00:00:00Z");
    private static final Instant FROZEN = Instant.parse("2026-03-03T09:30:00.123456Z");

    private String teller;

    @BeforeEach
    void givenAHistory() {
        teller = Tokens.teller();
        ReadModelRows.empty()
                .opened("alice-usd", "alice", "USD", 2, OPENED)
                .deposited("alice-usd", 3000, DEPOSITED)
                .withdrew("alice-usd", 1000, WITHDRAWN)
                .deposited("alice-usd", 500, TWICE)
                .deposited("alice-usd", 700, TWICE)
                .frozen("alice-usd", FROZEN);
    }

    @Test
    void an_instant_equal_to_an_events_time_includes_the_event() {
        asOf(DEPOSITED, "30.00", 2, "OPEN", DEPOSITED);
        asOf(WITHDRAWN, "20.00", 3, "OPEN", WITHDRAWN);
        asOf(OPENED, "0.00", 1, "OPEN", OPENED);
        asOf(FROZEN, "32.00", 6, "FROZEN", FROZEN);
    }

    @Test
    void one_microsecond_before_an_event_excludes_it() {
        asOf(DEPOSITED.minus(1, ChronoUnit.MICROS), "0.00", 1, "OPEN", OPENED);
        asOf(WITHDRAWN.minus(1, ChronoUnit.MICROS), "30.00", 2, "OPEN", DEPOSITED);
        asOf(FROZEN.minus(1, ChronoUnit.MICROS), "32.00", 5, "OPEN", TWICE);
    }

    @Test
    void one_nanosecond_before_an_event_excludes_it() {
        asOf(DEPOSITED.minusNanos(1), "0.00", 1, "OPEN", OPENED);
        asOf(WITHDRAWN.minusNanos(1), "30.00", 2, "OPEN", DEPOSITED);
        asOf(FROZEN.minusNanos(1), "32.00", 5, "OPEN", TWICE);
        balanceAsOf(WITHDRAWN.minusNanos(1), "30.00", 2);
    }

    @Test
    void nanoseconds_after_an_event_still_see_it_and_not_the_next() {
        asOf(DEPOSITED.plusNanos(999), "30.00", 2, "OPEN", DEPOSITED);
        balanceAsOf(DEPOSITED.plusNanos(999), "30.00", 2);
    }

    @Test
    void events_at_the_same_instant_are_all_included() {
        asOf(TWICE, "32.00", 5, "OPEN", TWICE);
        asOf(TWICE.minusNanos(1), "20.00", 3, "OPEN", WITHDRAWN);
        balanceAsOf(TWICE, "32.00", 5);
    }

    @Test
    void the_balance_as_of_an_instant_follows_the_same_edges() {
        balanceAsOf(DEPOSITED, "30.00", 2);
        balanceAsOf(DEPOSITED.minus(1, ChronoUnit.MICROS), "0.00", 1);
        given().header("Authorization", teller)
                .when().get("/accounts/alice-usd/balance")
                .then().statusCode(200)
                .body("balance", equalTo("32.00")).body("version", equalTo(6))
                .body("asOf", equalTo(FROZEN.toString()));
    }

    @Test
    void before_the_account_was_opened_it_did_not_exist() {
        assertProblem(given().header("Authorization", teller).queryParam("asOf", OPENED.minusNanos(1).toString())
                .when().get("/accounts/alice-usd"), 404, "account-not-found");
        assertProblem(given().header("Authorization", teller).queryParam("asOf", OPENED.minus(1, ChronoUnit.MICROS).toString())
                .when().get("/accounts/alice-usd/balance"), 404, "account-not-found");
        assertProblem(given().header("Authorization", teller).queryParam("asOf", OPENED.minusNanos(1).toString())
                .when().get("/accounts/alice-usd/balance"), 404, "account-not-found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-03-01", "2026-03-01T10:00:00", "10000-01-01T00:00:00Z"})
    void an_instant_that_is_not_one_is_a_validation_problem(String asOf) {
        assertValidation(given().header("Authorization", teller).queryParam("asOf", asOf)
                .when().get("/accounts/alice-usd"), "asOf");
        assertValidation(given().header("Authorization", teller).queryParam("asOf", asOf)
                .when().get("/accounts/alice-usd/balance"), "asOf");
    }

    private void asOf(Instant at, String balance, int version, String status, Instant updatedAt) {
        given().header("Authorization", teller).queryParam("asOf", at.toString())
                .when().get("/accounts/alice-usd")
                .then().statusCode(200)
                .body("accountId", equalTo("alice-usd"))
                .body("owner", equalTo("alice"))
                .body("balance", equalTo(balance))
                .body("version", equalTo(version))
                .body("status", equalTo(status))
                .body("openedAt", equalTo(OPENED.toString()))
                .body("updatedAt", equalTo(updatedAt.toString()))
                .body("asOf", equalTo(at.toString()))
                .body("metadata.tier", equalTo("gold"));
    }

    private void balanceAsOf(Instant at, String balance, int version) {
        given().header("Authorization", teller).queryParam("asOf", at.toString())
                .when().get("/accounts/alice-usd/balance")
                .then().statusCode(200)
                .body("accountId", equalTo("alice-usd"))
                .body("asOf", equalTo(at.toString()))
                .body("balance", equalTo(balance))
                .body("currency", equalTo("USD"))
                .body("version", equalTo(version));
    }
}
