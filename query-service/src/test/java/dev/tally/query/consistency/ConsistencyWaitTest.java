package dev.tally.query.consistency;

import static dev.tally.query.Problems.assertProblem;
import static dev.tally.query.Problems.assertValidation;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.query.ReadModelDatabase;
import dev.tally.query.ReadModelRows;
import dev.tally.query.Tokens;
import dev.tally.schemas.ConsistencyToken;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Read-your-writes over HTTP against the real progress query: a read waits until the projection
 * serving it has the token's version, answers 503 {@code projection-lagging} once Consistency-Wait
 * has passed, and a client that goes away frees its wait (seen in the liveness check's count).
 */
@QuarkusTest
@WithTestResource(ReadModelDatabase.class)
class ConsistencyWaitTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TestHTTPResource("/")
    URL root;

    private String teller;
    private ReadModelRows rows;

    @BeforeEach
    void givenAnAccountAtVersionTwo() {
        teller = Tokens.teller();
        rows = ReadModelRows.empty()
                .opened("alice-usd", "alice", "USD", 2, T0)
                .deposited("alice-usd", 3000, T0.plusSeconds(1));
        awaitWaiting(n -> n == 0);
    }

    @Test
    void a_token_the_projection_has_reached_reads_at_once() {
        String token = ConsistencyToken.of("alice-usd", 2).encode();
        given().header("Authorization", teller).header("Consistency-Token", token)
                .when().get("/accounts/alice-usd")
                .then().statusCode(200).body("balance", equalTo("30.00")).body("version", equalTo(2));
    }

    @Test
    void a_read_waits_for_the_write_and_then_sees_it() throws Exception {
        String token = ConsistencyToken.of("alice-usd", 3).encode();
        ClassLoader quarkus = Thread.currentThread().getContextClassLoader();
        CompletableFuture<Response> read = CompletableFuture.supplyAsync(() -> {
            Thread.currentThread().setContextClassLoader(quarkus);
            return given().header("Authorization", teller).header("Consistency-Token", token)
                    .header("Consistency-Wait", "10000").when().get("/accounts/alice-usd");
        });
        awaitWaiting(n -> n == 1);
        Thread.sleep(200);
        assertFalse(read.isDone(), "answered before the projection reached version 3");

        rows.withdrew("alice-usd", 1000, T0.plusSeconds(2));

        read.get(5, TimeUnit.SECONDS).then().statusCode(200).body("balance", equalTo("20.00")).body("version", equalTo(3));
        awaitWaiting(n -> n == 0);
    }

    @Test
    void past_the_consistency_wait_the_answer_is_503_projection_lagging() {
        String token = ConsistencyToken.of("alice-usd", 3).encode();
        // The wait the server applied is in the answer; how long it took is the benchmark's business.
        assertProblem(given().header("Authorization", teller).header("Consistency-Token", token)
                .header("Consistency-Wait", "300").when().get("/accounts/alice-usd"), 503, "projection-lagging")
                .header("Retry-After", "1")
                .body("detail", containsString("300 ms"));
        awaitWaiting(n -> n == 0);

        assertProblem(given().header("Authorization", teller).header("Consistency-Token", token)
                .header("Consistency-Wait", "0").when().get("/accounts/alice-usd/balance"), 503, "projection-lagging");
    }

    @Test
    void each_read_waits_on_the_projection_that_serves_it() {
        ReadModelRows.sql("update projection_account_positions set version = 1 where projection = 'statements'");
        String token = ConsistencyToken.of("alice-usd", 2).encode();
        given().header("Authorization", teller).header("Consistency-Token", token).header("Consistency-Wait", "300")
                .when().get("/accounts/alice-usd").then().statusCode(200);
        given().header("Authorization", teller).header("Consistency-Token", token).header("Consistency-Wait", "300")
                .when().get("/accounts/alice-usd/balance").then().statusCode(200);
        assertProblem(given().header("Authorization", teller).header("Consistency-Token", token)
                .header("Consistency-Wait", "300").when().get("/accounts/alice-usd/entries"), 503, "projection-lagging");
    }

    @Test
    void a_client_that_disconnects_frees_its_wait() throws Exception {
        String token = ConsistencyToken.of("alice-usd", 3).encode();
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /accounts/alice-usd HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + teller
                    + "\r\nConsistency-Token: " + token + "\r\nConsistency-Wait: 60000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitWaiting(n -> n == 1);
        }
        // The client asked to wait 60 s; the count reaching 0 within awaitWaiting's 30 s shows the
        // wait ended with its connection, not with its deadline.
        awaitWaiting(n -> n == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "60001", "1.5", "soon", "9223372036854775808"})
    void a_wait_that_is_not_milliseconds_up_to_a_minute_is_a_validation_problem(String wait) {
        assertValidation(given().header("Authorization", teller).header("Consistency-Wait", wait)
                .when().get("/accounts/alice-usd"), "Consistency-Wait");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "v1.!!!", "v2.YWxpY2UtdXNkQDM", "TOKEN_WITH_VERSION_0", "TOKEN_WITH_BAD_ID",
            "TOKEN_WITH_17_ACCOUNTS"})
    void a_token_this_service_did_not_issue_is_a_validation_problem(String text) {
        String token = switch (text) {
            case "TOKEN_WITH_VERSION_0" -> ConsistencyToken.of("alice-usd", 0).encode();
            case "TOKEN_WITH_BAD_ID" -> ConsistencyToken.of("not an id", 1).encode();
            case "TOKEN_WITH_17_ACCOUNTS" -> {
                Map<String, Long> versions = new HashMap<>();
                for (int i = 0; i < 17; i++) {
                    versions.put("acc-" + i, 1L);
                }
                yield new ConsistencyToken(versions).encode();
            }
            default -> text;
        };
        assertValidation(given().header("Authorization", teller).header("Consistency-Token", token)
                .when().get("/accounts/alice-usd"), "Consistency-Token");
    }

    /** Polls the liveness check's count of parked reads until it satisfies {@code expected} (5 s at most). */
    private static void awaitWaiting(IntPredicate expected) {
        // Well under the 60 s wait a test asks for: a count reached only at that deadline fails here.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int waiting;
        do {
            waiting = given().when().get("/q/health/live").then().statusCode(200).extract().jsonPath()
                    .getInt("checks.find { it.name == 'consistency-token-waiter' }.data.waiting");
            if (expected.test(waiting)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        fail("still " + waiting + " parked reads after 30 s");
    }
}
