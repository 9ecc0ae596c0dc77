package dev.tally.command.reversals;

import dev.tally.command.accounts.CommandOutcomes;
import dev.tally.command.accounts.RequestValidation;
import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.ledger.CommandContext;
import dev.tally.command.ledger.Movement;
import dev.tally.command.platform.CommandBus;
import dev.tally.command.platform.CommandHeaderParams;
import dev.tally.command.platform.CommandHeaders;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Correcting entries: {@code POST /accounts/{id}/deposits/{transactionId}/reverse} takes (part of) a
 * deposit back out with a withdrawal, {@code .../withdrawals/{transactionId}/reverse} puts (part of)
 * a withdrawal back with a deposit. Each names the original ({@code reversalOf}); the original is
 * never edited, and never more than it moved goes back. Tellers only: a correction is staff's.
 */
@Path("/accounts/{accountId}")
@Tag(name = "reversals", description = "Correcting entries that move a deposit or withdrawal back, linked to it")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MovementReversalResource {

    private final CommandBus bus;
    private final CurrentCaller caller;
    private final Clock clock = Clock.systemUTC();

    MovementReversalResource(CommandBus bus, CurrentCaller caller) {
        this.bus = bus;
        this.caller = caller;
    }

    @POST
    @Path("/deposits/{transactionId}/reverse")
    @Operation(operationId = "reverseDeposit", summary = "Take all or part of a deposit back out, as a linked withdrawal")
    @APIResponse(responseCode = "201", description = "Reversed: the correcting withdrawal, `reversalOf` naming the deposit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReversalAnswer.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`, `transaction-not-found` (no such deposit on the account)")
    @APIResponse(responseCode = "422", description = "`transaction-not-reversible` (more than is left of it), "
            + "`insufficient-funds`, `account-closed`")
    public CompletionStage<Response> reverseDeposit(@PathParam("accountId") String accountId,
                                                    @PathParam("transactionId") String transactionId,
                                                    ReverseMovementRequest body,
                                                    @BeanParam CommandHeaderParams headerParams) {
        return reverse(Movement.Kind.DEPOSIT, accountId, transactionId, body, headerParams);
    }

    @POST
    @Path("/withdrawals/{transactionId}/reverse")
    @Operation(operationId = "reverseWithdrawal", summary = "Put all or part of a withdrawal back, as a linked deposit")
    @APIResponse(responseCode = "201", description = "Reversed: the correcting deposit, `reversalOf` naming the withdrawal",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReversalAnswer.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`, `transaction-not-found` (no such withdrawal on the account)")
    @APIResponse(responseCode = "422", description = "`transaction-not-reversible` (more than is left of it), `account-closed`")
    public CompletionStage<Response> reverseWithdrawal(@PathParam("accountId") String accountId,
                                                       @PathParam("transactionId") String transactionId,
                                                       ReverseMovementRequest body,
                                                       @BeanParam CommandHeaderParams headerParams) {
        return reverse(Movement.Kind.WITHDRAWAL, accountId, transactionId, body, headerParams);
    }

    private CompletionStage<Response> reverse(Movement.Kind kind, String accountId, String transactionId,
                                              ReverseMovementRequest body, CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(caller.get().require("reverse deposits and withdrawals",
                Role.TELLER));
        RequestValidation.requireBody(body);
        new RequestValidation().id("accountId", accountId, true).id("transactionId", transactionId, true)
                .amount("amount", body.amount(), false).text("reason", body.reason(), true).orThrow();
        CommandContext context = headers.context(accountId, clock.instant());
        var command = new AccountCommand.ReverseMovement(context, kind, transactionId, body.amount(), body.reason(),
                context.commandId(), null);
        String path = kind == Movement.Kind.DEPOSIT ? "/deposits/" : "/withdrawals/";
        return CommandOutcomes.send(bus, command, headers, "POST /accounts/" + accountId + path + transactionId + "/reverse",
                body, result -> Response.status(Response.Status.CREATED).entity(answer(result, transactionId)));
    }

    private static ReversalAnswer answer(CommandResult result, String reversalOf) {
        return new ReversalAnswer(result.transactionId(), result.account().accountId(), result.amount(), reversalOf,
                result.account().balance(), result.account().available(), result.account().version(),
                CommandOutcomes.tokenOf(result));
    }

    /**
     * @param amount how much to move back; absent: all that is not reversed yet
     * @param reason why, on the correcting entry (its reference)
     */
    public record ReverseMovementRequest(String amount, String reason) {
    }

    /** The correcting entry: its own transaction id, the original it reverses, the account after it. */
    public record ReversalAnswer(String transactionId, String accountId, String amount, String reversalOf,
                                 String balance, String available, long version, String consistencyToken) {
    }
}
