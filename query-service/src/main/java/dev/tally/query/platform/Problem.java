package dev.tally.query.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem with Tally's stable {@code code}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) {

    public static Problem of(int status, String code, String detail) {
        String words = code.replace('-', ' ');
        return new Problem("https://tally.dev/problems/" + code,
                Character.toUpperCase(words.charAt(0)) + words.substring(1), status, detail, code);
    }

    public Response toResponse() {
        return Response.status(status).type("application/problem+json").entity(this).build();
    }

    public Response.ResponseBuilder builder() {
        return Response.fromResponse(toResponse());
    }
}
