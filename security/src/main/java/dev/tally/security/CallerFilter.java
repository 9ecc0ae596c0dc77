package dev.tally.security;

import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Establishes the {@link Caller} of every API request before its resource runs.
 *
 * <p>With authentication on, SmallRye JWT has already checked the bearer token (signature, issuer,
 * expiry; Quarkus authenticates proactively), so here an anonymous identity means no token at all:
 * 401. A token that names none of the four roles is 403: it is valid, but for nothing here. Health,
 * metrics and OpenAPI are not API resources and stay open for probes and scrapers.
 */
@Singleton
@Startup
public class CallerFilter {

    private static final Logger LOG = Logger.getLogger(CallerFilter.class);

    private final AuthMode mode;
    private final SecurityIdentity identity;
    private final CurrentCaller current;

    CallerFilter(@ConfigProperty(name = "tally.auth", defaultValue = "on") String auth, SecurityIdentity identity,
                 CurrentCaller current) {
        this.mode = AuthMode.parse(auth);
        this.identity = identity;
        this.current = current;
        if (mode == AuthMode.OFF) {
            LOG.warn("Authentication is OFF (TALLY_AUTH=off): every caller may do everything, named by its Actor header. "
                    + "Local experiments only.");
        }
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public void establishCaller(ContainerRequestContext request) {
        Caller caller = mode == AuthMode.OFF ? Caller.unauthenticated(request.getHeaderString("Actor")) : fromToken();
        current.set(caller);
        // Every log line of this request says who asked and, when the client named one, which
        // business operation it belongs to (JSON logs put both under "mdc").
        MDC.put("principal", caller.subject());
        String correlationId = request.getHeaderString("Correlation-Id");
        if (correlationId != null && !correlationId.isBlank() && correlationId.length() <= 200) {
            MDC.put("correlationId", correlationId);
        }
    }

    private Caller fromToken() {
        if (identity.isAnonymous()) {
            throw AccessProblem.unauthorized("A bearer token is required: Authorization: Bearer <JWT>.");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String group : identity.getRoles()) {
            Role.fromClaim(group).ifPresent(roles::add);
        }
        String subject = identity.getPrincipal().getName();
        if (roles.isEmpty()) {
            throw AccessProblem.forbidden(subject + " has none of the roles customer, teller, auditor, admin.");
        }
        return new Caller(subject, roles);
    }
}
