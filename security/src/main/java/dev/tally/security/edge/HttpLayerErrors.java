package dev.tally.security.edge;

import dev.tally.problems.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Errors the HTTP layer makes before (or instead of) a resource, as problem+json like every other
 * error: a request line or headers too long (checked here, first), a body too large, a path no route
 * serves, and any failure that reaches Vert.x. Each service's own mappers still answer what its
 * resources throw; this is the net under them.
 */
@ApplicationScoped
public class HttpLayerErrors {

    private static final Logger LOG = Logger.getLogger(HttpLayerErrors.class);
    private static final int[] ROUTER_STATUSES = {400, 404, 405, 406, 413, 414, 415, 431, 500, 501, 503};
    private static final Map<Integer, String> DETAILS = Map.of(
            400, "The request is malformed.",
            404, "Nothing is served at this path.",
            405, "This path does not accept that method.",
            406, "This service answers only application/json (errors as application/problem+json).",
            413, "The request body is too large.",
            414, "The request URI is longer than " + RequestLimits.MAX_URI_LENGTH + " characters.",
            415, "This endpoint accepts only application/json bodies.",
            431, "The request headers are larger than " + RequestLimits.MAX_HEADERS_LENGTH + " bytes.");

    private final long maxBodyBytes;

    HttpLayerErrors(@ConfigProperty(name = "tally.http.max-body-size") Optional<MemorySize> maxBody,
                    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
                    MemorySize decoderMaxBody) {
        this.maxBodyBytes = BodyLimit.maxBodyBytes(maxBody, decoderMaxBody);
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::withinLimits);
        // After RejectedTokens (same order, registered earlier or later: it only takes token failures).
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(HttpLayerErrors::failed);
        for (int status : ROUTER_STATUSES) {
            router.errorHandler(status, context -> answer(context, status));
        }
    }

    private void withinLimits(RoutingContext context) {
        if (context.request().uri().length() > RequestLimits.MAX_URI_LENGTH) {
            answer(context, 414);
            return;
        }
        int headers = 0;
        for (Map.Entry<String, String> header : context.request().headers()) {
            headers += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headers > RequestLimits.MAX_HEADERS_LENGTH) {
            answer(context, 431);
            return;
        }
        // A declared length over the limit is refused before a byte is read; a chunked body has no
        // length up front and is counted while it is read (BodyLimit).
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredLength(length) > maxBodyBytes) {
            answer(context, 413);
            return;
        }
        context.next();
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void failed(RoutingContext context) {
        if (context.failure() instanceof io.quarkus.security.AuthenticationException
                || context.failure() instanceof io.quarkus.security.ForbiddenException) {
            // Who may call is the security layer's answer (RejectedTokens, CallerFilter), not ours.
            context.next();
            return;
        }
        int status = statusOf(context);
        if (status >= 500) {
            LOG.errorf(context.failure(), "Request %s %s failed", context.request().method(), context.request().path());
        }
        answer(context, status);
    }

    private static int statusOf(RoutingContext context) {
        if (context.failure() instanceof HttpException http) {
            return http.getStatusCode();
        }
        if (context.statusCode() >= 400) {
            return context.statusCode();
        }
        return 500;
    }

    private static void answer(RoutingContext context, int status) {
        HttpServerResponse response = context.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        String detail = DETAILS.getOrDefault(status, status >= 500 ? "Something went wrong on our side."
                : "The request cannot be served.");
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Problem.of(status, Problem.codeFor(status), detail).json());
    }
}
