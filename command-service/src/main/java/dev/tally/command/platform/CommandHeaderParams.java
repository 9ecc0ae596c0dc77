package dev.tally.command.platform;

import dev.tally.security.Caller;
import jakarta.ws.rs.HeaderParam;

/**
 * The command headers as one {@code @BeanParam}, so that every command endpoint reads them the same
 * way. Who asks is not a header: it is the authenticated {@link Caller}.
 */
public class CommandHeaderParams {

    @HeaderParam("Correlation-Id")
    private String correlationId;
    @HeaderParam("If-Match")
    private String ifMatch;
    @HeaderParam("Idempotency-Key")
    private String idempotencyKey;

    /** The headers of {@code caller}'s request, syntax-checked: a malformed one is a 400 problem. */
    public CommandHeaders validated(Caller caller) {
        return new CommandHeaders(caller.subject(), caller.confinedToOwner(), correlationId, ifMatch, idempotencyKey)
                .validated();
    }
}
