package dev.tally.security;

import dev.tally.problems.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A bearer token that fails verification (bad signature, wrong issuer, expired, {@code alg=none},
 * not a JWT) is refused by SmallRye JWT before any resource runs, as an
 * {@link AuthenticationFailedException} on the HTTP route. Without this handler the answer would be
 * a bare 401; with it, the same problem+json as every other error. The detail does not say which
 * check failed: that would help someone forging tokens more than a client.
 */
@ApplicationScoped
public class RejectedTokens {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.failure() instanceof AuthenticationFailedException && !context.response().headWritten()) {
                AccessProblem problem = AccessProblem.unauthorized("The bearer token is not valid here "
                        + "(signature, issuer, expiry and algorithm are checked).");
                context.response().setStatusCode(401)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                        .end(problem.problem().json());
            } else {
                context.next();
            }
        });
    }
}
