package dev.tally.command.platform;

import jakarta.ws.rs.HeaderParam;

/** The command headers as one {@code @BeanParam}, so that every command endpoint reads them the same way. */
public class CommandHeaderParams {

    @HeaderParam("Actor")
    private String actor;
    @HeaderParam("Correlation-Id")
    private String correlationId;
    @HeaderParam("If-Match")
    private String ifMatch;
    @HeaderParam("Idempotency-Key")
    private String idempotencyKey;

    /** The headers, syntax-checked: a malformed one is a 400 problem. */
    public CommandHeaders validated() {
        return new CommandHeaders(actor, correlationId, ifMatch, idempotencyKey).validated();
    }
}
