package dev.tally.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem with Tally's stable {@code code}, the one document every error of every service
 * is answered with: by a resource, an exception mapper, the HTTP layer or the security layer.
 * {@code errors} lists the offending fields of a {@code validation} problem and is left out otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String code, String detail) {
        return new Problem("https://tally.dev/problems/" + code, titleOf(code), status, detail, code, null);
    }

    /** 400 {@code validation} listing what to fix. */
    public static Problem validation(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return new Problem("https://tally.dev/problems/validation", titleOf("validation"), 400, detail, "validation",
                List.copyOf(errors));
    }

    /** 400 {@code validation}: one field, request parameter or header is not acceptable. */
    public static Problem invalid(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    /**
     * The stable code for an HTTP status that has no more specific one (what the HTTP layer and
     * RESTEasy refuse). Most are docs/http-api.md's; the few it does not list ({@code method-not-allowed},
     * {@code not-acceptable}, {@code payload-too-large}, {@code uri-too-long},
     * {@code unsupported-media-type}, {@code headers-too-large}) are named in the security README.
     */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "validation";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 429 -> "rate-limited";
            case 431 -> "headers-too-large";
            default -> status >= 500 ? "internal-error" : "bad-request";
        };
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    /** The answer to add headers to. */
    public Response.ResponseBuilder builder() {
        return Response.fromResponse(toResponse());
    }

    /** The document as JSON text, for answers written outside JAX-RS (Vert.x handlers). */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String titleOf(String code) {
        if (code.equals("validation")) {
            return "Invalid request";
        }
        String words = code.replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
