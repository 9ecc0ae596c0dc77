package dev.tally.query.subjects;

import static dev.tally.query.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.query.ReadModelDatabase;
import dev.tally.query.ReadModelRows;
import dev.tally.query.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, the right of access: {@code GET /subjects/{owner}/export} gives a subject everything the
 * read models hold about it and nothing about anyone else; admins may export anyone, a customer only
 * itself, and to a customer another subject is exactly an unknown one.
 */
@QuarkusTest
@WithTestResource(ReadModelDatabase.class)
class SubjectExportTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeEach
    void givenTwoOwners() {
        ReadModelRows.empty()
                .opened("alice-1", "alice", "USD", 2, T0)
                .opened("alice-2", "alice", "USD", 2, T0)
                .opened("bob-1", "bob", "USD", 2, T0)
                .opened("bob-2", "bob", "USD", 2, T0)
                .deposited("alice-1", 5000, T0.plusSeconds(1))
                .deposited("bob-1", 9000, T0.plusSeconds(1))
                .frozen("bob-2", T0.plusSeconds(2))
                .transferred("alice-to-bob", "alice-1", "bob-1", 1000, T0.plusSeconds(3))
                .transferred("bob-to-bob", "bob-1", "bob-2", 2000, T0.plusSeconds(4));
    }

    @Test
    void a_customer_exports_everything_about_itself_and_nothing_about_others() {
        given().header("Authorization", Tokens.customer("alice"))
                .when().get("/subjects/alice/export")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .header("Content-Disposition", "attachment; filename=\"tally-export-alice.json\"")
                .body("subject", equalTo("alice"))
                .body("accounts.account_id", containsInAnyOrder("alice-1", "alice-2"))
                .body("accounts.owner", everyItem(equalTo("alice")))
                .body("statementLines.account_id", everyItem(org.hamcrest.Matchers.startsWith("alice-")))
                .body("statementLines.type", containsInAnyOrder("DEPOSIT", "TRANSFER_OUT"))
                .body("transfers.transfer_id", containsInAnyOrder("alice-to-bob"))
                .body("accountHistory.account_id", everyItem(org.hamcrest.Matchers.startsWith("alice-")))
                .body("auditTrail.account_id", everyItem(org.hamcrest.Matchers.startsWith("alice-")))
                .body("auditTrail.account_id", not(hasItem("bob-1")))
                .body("holds", hasSize(0))
                .body("actedAs.actor", everyItem(equalTo("alice")))
                .body("actedAs.account_id", everyItem(org.hamcrest.Matchers.startsWith("alice-")));
    }

    @Test
    void an_admin_exports_any_subject_including_what_it_did_as_an_actor() {
        given().header("Authorization", Tokens.bearer("admin-1", "admin"))
                .when().get("/subjects/bob/export")
                .then().statusCode(200)
                .body("accounts.account_id", containsInAnyOrder("bob-1", "bob-2"))
                .body("transfers.transfer_id", containsInAnyOrder("alice-to-bob", "bob-to-bob"));
        // teller-1 owns no account but froze one: that act is data about teller-1.
        given().header("Authorization", Tokens.bearer("admin-1", "admin"))
                .when().get("/subjects/teller-1/export")
                .then().statusCode(200)
                .body("accounts", hasSize(0))
                .body("actedAs.event_type", containsInAnyOrder("AccountFrozen"));
    }

    @Test
    void to_a_customer_another_subject_is_exactly_an_unknown_one() {
        String others = assertProblem(given().header("Authorization", Tokens.customer("alice")).when().get("/subjects/bob/export"),
                404, "subject-not-found").extract().body().asString();
        String unknown = assertProblem(given().header("Authorization", Tokens.customer("alice")).when().get("/subjects/nobody/export"),
                404, "subject-not-found").extract().body().asString();
        assertEquals(unknown, others);
        assertProblem(given().header("Authorization", Tokens.bearer("admin-1", "admin")).when().get("/subjects/nobody/export"),
                404, "subject-not-found");
    }

    @Test
    void tellers_and_auditors_may_not_export_and_a_malformed_subject_is_refused() {
        assertProblem(given().header("Authorization", Tokens.teller()).when().get("/subjects/alice/export"), 403, "forbidden");
        assertProblem(given().header("Authorization", Tokens.auditor()).when().get("/subjects/alice/export"), 403, "forbidden");
        // The router may already refuse a control character in the path (404), or the resource does (400): never 200.
        given().header("Authorization", Tokens.bearer("admin-1", "admin")).urlEncodingEnabled(false)
                .when().get("/subjects/a%01b/export")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(404)))
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"));
        given().when().get("/subjects/alice/export").then().statusCode(401);
    }
}
