package dev.tally.query.audit;

import static dev.tally.query.Problems.assertProblem;
import static dev.tally.query.Problems.assertValidation;
import static dev.tally.query.ReadModelRows.eventId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.query.ReadModelDatabase;
import dev.tally.query.ReadModelRows;
import dev.tally.query.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The auditor's pages: ordered by (occurred-at, event id), opaque cursors, half-open time ranges at exact instants. */
@QuarkusTest
@WithTestResource(ReadModelDatabase.class)
class AuditPagesTest {

    private static final Instant OPENED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:01.000001Z");
    private static final Instant T1_PLUS_1US = T1.plus(1, ChronoUnit.MICROS);
    private static final Instant T2 = Instant.parse("2026-03-01T10:00:02Z");

    /** Both accounts were opened at the same instant: the event id breaks the tie. */
    private static final List<String> OPENINGS = Stream.of(eventId("acc-a", 1), eventId("acc-b", 1)).sorted().toList();
    private static final List<String> ALL = List.of(OPENINGS.get(0), OPENINGS.get(1), eventId("acc-a", 2),
            eventId("acc-b", 2), eventId("acc-a", 3));

    private String auditor;

    @BeforeEach
    void givenFiveEvents() {
        auditor = Tokens.auditor();
        ReadModelRows.empty()
                .opened("acc-a", "alice", "USD", 2, OPENED)
                .opened("acc-b", "bob", "USD", 2, OPENED)
                .deposited("acc-a", 1000, T1)
                .deposited("acc-b", 2000, T1_PLUS_1US)
                .withdrew("acc-a", 300, T2);
    }

    private RequestSpecification asAuditor() {
        return given().header("Authorization", auditor);
    }

    @Test
    void every_event_in_time_order_with_its_provenance() {
        asAuditor().when().get("/audit")
                .then().statusCode(200)
                .body("items.eventId", contains(ALL.toArray()))
                .body("items[2].accountId", equalTo("acc-a"))
                .body("items[2].sequence", equalTo(2))
                .body("items[2].type", equalTo("FundsDeposited"))
                .body("items[2].actor", equalTo("alice"))
                .body("items[2].occurredAt", equalTo(T1.toString()))
                .body("items[2].commandId", equalTo("cmd-acc-a-2"))
                .body("items[2].correlationId", equalTo("corr-acc-a"))
                .body("next", nullValue());
    }

    @Test
    void pages_of_two_walk_the_trail_and_end_on_a_short_page() {
        List<String> seen = new ArrayList<>();
        String after = null;
        List<Integer> sizes = new ArrayList<>();
        do {
            RequestSpecification request = asAuditor().queryParam("limit", 2);
            if (after != null) {
                request.queryParam("after", after);
            }
            var page = request.when().get("/audit").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("items.eventId", String.class);
            seen.addAll(ids);
            sizes.add(ids.size());
            after = page.getString("next");
        } while (after != null && sizes.size() < 10);
        assertEquals(ALL, seen);
        assertEquals(List.of(2, 2, 1), sizes);
    }

    @Test
    void the_cursor_at_the_last_row_gives_an_empty_page() {
        String next = asAuditor().queryParam("limit", 5).when().get("/audit")
                .then().statusCode(200).body("items.eventId", contains(ALL.toArray())).body("next", notNullValue())
                .extract().jsonPath().getString("next");
        asAuditor().queryParam("after", next).when().get("/audit")
                .then().statusCode(200).body("items", empty()).body("next", nullValue());
    }

    @Test
    void a_cursor_between_two_events_at_the_same_instant_continues_with_the_second() {
        String next = asAuditor().queryParam("limit", 1).when().get("/audit")
                .then().statusCode(200).body("items.eventId", contains(OPENINGS.get(0)))
                .extract().jsonPath().getString("next");
        asAuditor().queryParam("limit", 1).queryParam("after", next).when().get("/audit")
                .then().statusCode(200).body("items.eventId", contains(OPENINGS.get(1)));
    }

    @Test
    void filters_by_account_and_actor() {
        asAuditor().queryParam("accountId", "acc-a").when().get("/audit")
                .then().statusCode(200)
                .body("items.eventId", contains(eventId("acc-a", 1), eventId("acc-a", 2), eventId("acc-a", 3)));
        asAuditor().queryParam("actor", "bob").when().get("/audit")
                .then().statusCode(200).body("items.eventId", contains(eventId("acc-b", 1), eventId("acc-b", 2)));
        asAuditor().queryParam("actor", "nobody").when().get("/audit")
                .then().statusCode(200).body("items", empty()).body("next", nullValue());
    }

    @Test
    void from_includes_an_event_at_that_instant_and_to_excludes_it() {
        assertRange(T1, null, eventId("acc-a", 2), eventId("acc-b", 2), eventId("acc-a", 3));
        assertRange(null, T1, OPENINGS.get(0), OPENINGS.get(1));
        assertRange(T1, T1_PLUS_1US, eventId("acc-a", 2));
        assertRange(T1.plus(1, ChronoUnit.MICROS), T2, eventId("acc-b", 2));
    }

    @Test
    void from_and_to_are_exact_to_the_nanosecond() {
        // from one nanosecond after an event excludes it; to one nanosecond after an event includes it
        assertRange(T1.plusNanos(1), null, eventId("acc-b", 2), eventId("acc-a", 3));
        assertRange(null, T1.plusNanos(1), OPENINGS.get(0), OPENINGS.get(1), eventId("acc-a", 2));
        assertRange(T1.minusNanos(1), T1.plusNanos(1), eventId("acc-a", 2));
        assertRange(T1.plusNanos(999), T1_PLUS_1US.plusNanos(1), eventId("acc-b", 2));
    }

    @Test
    void only_auditors_and_admins_read_the_trail() {
        given().header("Authorization", Tokens.bearer("admin-1", "admin")).when().get("/audit")
                .then().statusCode(200).body("items.eventId", contains(ALL.toArray()));
        assertProblem(given().header("Authorization", Tokens.teller()).when().get("/audit"), 403, "forbidden");
        assertProblem(given().when().get("/audit"), 401, "unauthorized");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage!", "2026-03-01T10:00:00Z|" + "00000000-0000-0000-0000-000000000000",
            "B64:2026-03-01T10:00:00Z|not-a-uuid", "B64:yesterday|00000000-0000-0000-0000-000000000000",
            "B64:2026-03-01T10:00:00Z"})
    void a_cursor_this_service_did_not_issue_is_a_validation_problem(String cursor) {
        String after = cursor.startsWith("B64:") ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(cursor.substring(4).getBytes(StandardCharsets.UTF_8)) : cursor;
        assertValidation(asAuditor().queryParam("after", after).when().get("/audit"), "after");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501", "-5", "ten"})
    void a_limit_outside_one_to_five_hundred_is_a_validation_problem(String limit) {
        assertValidation(asAuditor().queryParam("limit", limit).when().get("/audit"), "limit");
    }

    private void assertRange(Instant from, Instant to, String... expected) {
        RequestSpecification request = asAuditor();
        if (from != null) {
            request.queryParam("from", from.toString());
        }
        if (to != null) {
            request.queryParam("to", to.toString());
        }
        request.when().get("/audit").then().statusCode(200)
                .body("items.eventId", contains((Object[]) expected));
    }
}
