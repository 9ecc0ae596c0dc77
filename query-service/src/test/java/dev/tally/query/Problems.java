package dev.tally.query;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/** What every refusal of a request parameter looks like: 400 problem+json, code validation, the one field named. */
public final class Problems {

    private Problems() {
    }

    public static ValidatableResponse assertValidation(Response response, String field) {
        return response.then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("code", equalTo("validation"))
                .body("errors.field", contains(field));
    }

    public static ValidatableResponse assertProblem(Response response, int status, String code) {
        return response.then().statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("code", equalTo(code));
    }
}
