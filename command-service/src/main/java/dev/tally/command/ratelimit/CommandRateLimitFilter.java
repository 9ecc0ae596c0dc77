package dev.tally.command.ratelimit;

import dev.tally.problems.Problem;
import dev.tally.security.CurrentCaller;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every command (a POST) counts against its caller's rate limit; past it, 429 {@code rate-limited}
 * with {@code Retry-After}, and nothing is sent to the write model.
 */
@Singleton
public class CommandRateLimitFilter {

    private final CommandRateLimits limits;
    private final CurrentCaller caller;

    CommandRateLimitFilter(CurrentCaller caller,
                           @ConfigProperty(name = "tally.rate-limit.commands-per-second", defaultValue = "100") double perSecond,
                           @ConfigProperty(name = "tally.rate-limit.burst", defaultValue = "200") double burst) {
        this.caller = caller;
        this.limits = new CommandRateLimits(perSecond, burst, System::nanoTime);
    }

    // After CallerFilter (AUTHENTICATION): the limit is per authenticated principal.
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Response limit(ContainerRequestContext request) {
        if (!"POST".equals(request.getMethod())) {
            return null;
        }
        String principal = caller.get().subject();
        CommandRateLimits.Verdict verdict = limits.take(principal);
        if (verdict.allowed()) {
            return null;
        }
        return Response.fromResponse(Problem.of(429, "rate-limited", principal + " sent more commands than its limit; "
                        + "retry after " + verdict.retryAfterSeconds() + " s.").toResponse())
                .header("Retry-After", verdict.retryAfterSeconds()).build();
    }
}
