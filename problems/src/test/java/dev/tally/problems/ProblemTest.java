package dev.tally.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The document is the contract of docs/http-api.md: these are its exact bytes. */
class ProblemTest {

    @Test
    void a_problem_has_type_title_status_detail_and_code_and_no_errors() {
        assertEquals("{\"type\":\"https://tally.dev/problems/insufficient-funds\",\"title\":\"Insufficient funds\","
                        + "\"status\":422,\"detail\":\"not enough\",\"code\":\"insufficient-funds\"}",
                Problem.of(422, "insufficient-funds", "not enough").json());
    }

    @Test
    void a_validation_problem_lists_what_to_fix() {
        assertEquals("{\"type\":\"https://tally.dev/problems/validation\",\"title\":\"Invalid request\",\"status\":400,"
                        + "\"detail\":\"amount: is required; Idempotency-Key: is too long\",\"code\":\"validation\","
                        + "\"errors\":[{\"field\":\"amount\",\"message\":\"is required\"},"
                        + "{\"field\":\"Idempotency-Key\",\"message\":\"is too long\"}]}",
                Problem.validation(List.of(new Problem.FieldError("amount", "is required"),
                        new Problem.FieldError("Idempotency-Key", "is too long"))).json());
        assertEquals(Problem.validation(List.of(new Problem.FieldError("limit", "must be 1 to 500"))),
                Problem.invalid("limit", "must be 1 to 500"));
    }

    @Test
    void a_status_without_a_code_of_its_own_gets_the_tables() {
        assertEquals("not-found", Problem.codeFor(404));
        assertEquals("headers-too-large", Problem.codeFor(431));
        assertEquals("bad-request", Problem.codeFor(418));
        assertEquals("internal-error", Problem.codeFor(503));
        assertEquals("Method not allowed", Problem.of(405, Problem.codeFor(405), "no").title());
    }
}
