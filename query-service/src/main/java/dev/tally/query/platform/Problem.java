package dev.tally.query.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An RFC 9457 problem with Tally's stable {@code code}; {@code errors} lists offending fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String code, String detail) {
        return new Problem("https://tally.dev/problems/" + code, titleOf(code), status, detail, code, null);
    }

    /** 400 {@code validation}: one request parameter or header is not acceptable. */
    public static Problem invalid(String field, String message) {
        return new Problem("https://tally.dev/problems/validation", titleOf("validation"), 400,
                field + ": " + message, "validation", List.of(new FieldError(field, message)));
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    public Response.ResponseBuilder builder() {
        return Response.fromResponse(toResponse());
    }

    private static String titleOf(String code) {
        if (code.equals("validation")) {
            return "Invalid request";
        }
        String words = code.replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
