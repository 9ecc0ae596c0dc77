package dev.tally.security;

import jakarta.ws.rs.core.Response;
import dev.tally.security.edge.ProblemBody;
import java.util.Map;

/**
 * A request refused for who sent it: 401 {@code unauthorized} (no valid token) or 403
 * {@code forbidden} (a valid token without the right). Answered as {@code application/problem+json}
 * like every other error (see {@link AccessProblemMapper}).
 */
public final class AccessProblem extends RuntimeException {

    public static final String PROBLEM_JSON = ProblemBody.MEDIA_TYPE;

    private final int status;
    private final String code;

    private AccessProblem(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static AccessProblem unauthorized(String detail) {
        return new AccessProblem(401, "unauthorized", detail);
    }

    public static AccessProblem forbidden(String detail) {
        return new AccessProblem(403, "forbidden", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The problem document, in the same shape as the services' own problems. */
    public Map<String, Object> body() {
        return ProblemBody.of(status, code, getMessage());
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status).type(PROBLEM_JSON).entity(body());
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.build();
    }
}
