package dev.tally.security.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The problem+json document (RFC 9457 with Tally's {@code code}) for errors made outside any
 * service's own resources: by Vert.x, by Quarkus, or by the security layer. The services' own
 * problems have the same shape.
 */
public final class ProblemBody {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemBody() {
    }

    /**
     * The stable code for an HTTP status the HTTP layer answers with. Most are API.md's; the few it
     * does not list ({@code method-not-allowed}, {@code not-acceptable}, {@code payload-too-large},
     * {@code uri-too-long}, {@code unsupported-media-type}, {@code headers-too-large}) are named in
     * the security README.
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

    public static Map<String, Object> of(int status, String code, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://tally.dev/problems/" + code);
        body.put("title", titleOf(code));
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        return body;
    }

    public static String json(int status, String code, String detail) {
        try {
            return JSON.writeValueAsString(of(status, code, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String titleOf(String code) {
        if (code.equals("validation")) {
            return "Invalid request";
        }
        String words = code.replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
