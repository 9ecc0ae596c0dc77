package dev.tally.command.accounts;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.ledger.CommandContext;
import dev.tally.command.platform.CommandBus;
import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Account commands over HTTP. Each request becomes one command on the commands topic and the
 * answer waits, without holding a thread, for the write model's result.
 */
@Path("/accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AccountCommandResource {

    private final CommandBus bus;
    private final Clock clock = Clock.systemUTC();

    AccountCommandResource(CommandBus bus) {
        this.bus = bus;
    }

    @POST
    public CompletionStage<Response> open(OpenAccountRequest body, @HeaderParam("Actor") String actor,
                                          @HeaderParam("Correlation-Id") String correlationId) {
        RequestValidation.requireBody(body);
        new RequestValidation().id("accountId", body.accountId(), false).text("owner", body.owner(), true)
                .text("currency", body.currency(), true).amount("overdraftLimit", body.overdraftLimit(), false)
                .metadata(body.metadata()).orThrow();
        String accountId = body.accountId() != null ? body.accountId() : UUID.randomUUID().toString();
        var command = new AccountCommand.OpenAccount(context(accountId, actor, correlationId), body.owner(),
                body.currency(), body.overdraftLimit(), orEmpty(body.metadata()));
        // A plain header, not Response.created(): the answer is built on the results thread, where
        // there is no request to resolve a relative URI against (and API.md's Location is relative).
        return send(command, result -> Response.status(Response.Status.CREATED)
                .header("Location", "/accounts/" + accountId).entity(withToken(result)));
    }

    @POST
    @Path("/{accountId}/deposits")
    public CompletionStage<Response> deposit(@PathParam("accountId") String accountId, MoneyMovementRequest body,
                                             @HeaderParam("Actor") String actor,
                                             @HeaderParam("Correlation-Id") String correlationId) {
        validateMovement(accountId, body);
        CommandContext context = context(accountId, actor, correlationId);
        var command = new AccountCommand.DepositFunds(context, context.commandId(), body.amount(), body.reference(),
                orEmpty(body.metadata()));
        return send(command, result -> Response.status(Response.Status.CREATED).entity(movement(result)));
    }

    @POST
    @Path("/{accountId}/withdrawals")
    public CompletionStage<Response> withdraw(@PathParam("accountId") String accountId, MoneyMovementRequest body,
                                              @HeaderParam("Actor") String actor,
                                              @HeaderParam("Correlation-Id") String correlationId) {
        validateMovement(accountId, body);
        CommandContext context = context(accountId, actor, correlationId);
        var command = new AccountCommand.WithdrawFunds(context, context.commandId(), body.amount(), body.reference(),
                orEmpty(body.metadata()));
        return send(command, result -> Response.status(Response.Status.CREATED).entity(movement(result)));
    }

    private CompletionStage<Response> send(AccountCommand command,
                                           java.util.function.Function<CommandResult, Response.ResponseBuilder> success) {
        return bus.send(CommandMessage.from(command))
                .thenApply(result -> CommandOutcomes.respond(result, success))
                .exceptionally(CommandOutcomes::failed);
    }

    private static void validateMovement(String accountId, MoneyMovementRequest body) {
        RequestValidation.requireBody(body);
        new RequestValidation().id("accountId", accountId, true).amount("amount", body.amount(), true)
                .text("reference", body.reference(), false).metadata(body.metadata()).orThrow();
    }

    private CommandContext context(String accountId, String actor, String correlationId) {
        String commandId = UUID.randomUUID().toString();
        String who = actor == null || actor.isBlank() ? "anonymous" : actor;
        String correlation = correlationId == null || correlationId.isBlank() ? commandId : correlationId;
        return new CommandContext(commandId, accountId, clock.instant(), who, correlation);
    }

    private static Map<String, Object> withToken(CommandResult result) {
        var view = result.account();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountId", view.accountId());
        body.put("owner", view.owner());
        body.put("currency", view.currency());
        body.put("balance", view.balance());
        body.put("overdraftLimit", view.overdraftLimit());
        body.put("status", view.status());
        body.put("version", view.version());
        body.put("openedAt", view.openedAt());
        body.put("updatedAt", view.updatedAt());
        body.put("consistencyToken", CommandOutcomes.tokenOf(result));
        return body;
    }

    private static MovementResponse movement(CommandResult result) {
        return new MovementResponse(result.transactionId(), result.account().accountId(), result.amount(),
                result.account().balance(), result.account().version(), CommandOutcomes.tokenOf(result));
    }

    private static Map<String, String> orEmpty(Map<String, String> metadata) {
        return metadata == null ? Map.of() : metadata;
    }

    /** Answer to a deposit or withdrawal. */
    public record MovementResponse(String transactionId, String accountId, String amount, String balance,
                                   long version, String consistencyToken) {
    }
}
