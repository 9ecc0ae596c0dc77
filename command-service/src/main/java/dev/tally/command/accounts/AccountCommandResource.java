package dev.tally.command.accounts;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.ledger.CommandContext;
import dev.tally.command.platform.CommandBus;
import dev.tally.command.platform.CommandHeaderParams;
import dev.tally.command.platform.CommandHeaders;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.security.Caller;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Account commands over HTTP. Each request becomes one command on the commands topic and the
 * answer waits, without holding a thread, for the write model's result.
 *
 * <p>Customers and tellers send commands; auditors and admins do not (separation of duties). A
 * customer opens accounts only for itself, and the write model refuses its commands on accounts it
 * does not own as if they did not exist. Lifting a freeze is a teller's decision alone.
 */
@Path("/accounts")
@Tag(name = "accounts", description = "Open accounts, move money in and out, freeze, unfreeze and close them")
@APIResponse(responseCode = "412", description = "`version-mismatch`: `If-Match` names another version")
@APIResponse(responseCode = "422", description = "The command is refused (`insufficient-funds`, `account-frozen`, "
        + "`account-not-frozen`, `account-closed`, `balance-not-zero`, `idempotency-key-reused`); nothing was appended")
@APIResponse(responseCode = "429", description = "`rate-limited`: past the caller's command rate; see `Retry-After`")
@APIResponse(responseCode = "503", description = "`command-timeout`: no answer in time; it may still be applied, "
        + "so retry with the same `Idempotency-Key`")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AccountCommandResource {

    private final CommandBus bus;
    private final CurrentCaller caller;
    private final Clock clock = Clock.systemUTC();

    AccountCommandResource(CommandBus bus, CurrentCaller caller) {
        this.bus = bus;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "openAccount", summary = "Open an account")
    @APIResponse(responseCode = "201", description = "Opened; `Location: /accounts/{accountId}`",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountAnswer.class)))
    @APIResponse(responseCode = "409", description = "`account-exists`: the id is taken")
    public CompletionStage<Response> open(OpenAccountRequest body,
                                          @BeanParam CommandHeaderParams headerParams) {
        Caller who = caller.get().require("open accounts", Role.CUSTOMER, Role.TELLER);
        CommandHeaders headers = headerParams.validated(who);
        RequestValidation.requireBody(body);
        new RequestValidation().id("accountId", body.accountId(), false).text("owner", body.owner(), true)
                .text("currency", body.currency(), true).amount("overdraftLimit", body.overdraftLimit(), false)
                .metadata(body.metadata()).orThrow();
        if (!who.mayReach(body.owner())) {
            throw dev.tally.security.AccessProblem.forbidden(who.subject() + " may open accounts only for itself");
        }
        String accountId = body.accountId() != null ? body.accountId() : generatedId(headers);
        var command = new AccountCommand.OpenAccount(headers.context(accountId, clock.instant()), body.owner(),
                body.currency(), body.overdraftLimit(), orEmpty(body.metadata()));
        // A plain header, not Response.created(): the answer is built on the results thread, where
        // there is no request to resolve a relative URI against (and API.md's Location is relative).
        return send(command, headers, "POST /accounts", body, result -> Response.status(Response.Status.CREATED)
                .header("Location", "/accounts/" + accountId).entity(accountView(result)));
    }

    @POST
    @Path("/{accountId}/deposits")
    @Operation(operationId = "depositFunds", summary = "Deposit money into an account")
    @APIResponse(responseCode = "201", description = "Deposited",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MovementResponse.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public CompletionStage<Response> deposit(@PathParam("accountId") String accountId, MoneyMovementRequest body,
                                          @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(commandSender());
        validateMovement(accountId, body);
        CommandContext context = headers.context(accountId, clock.instant());
        var command = new AccountCommand.DepositFunds(context, context.commandId(), body.amount(), body.reference(),
                orEmpty(body.metadata()));
        return send(command, headers, "POST /accounts/" + accountId + "/deposits", body,
                result -> Response.status(Response.Status.CREATED).entity(movement(result)));
    }

    @POST
    @Path("/{accountId}/withdrawals")
    @Operation(operationId = "withdrawFunds", summary = "Withdraw money from an account")
    @APIResponse(responseCode = "201", description = "Withdrawn",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MovementResponse.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public CompletionStage<Response> withdraw(@PathParam("accountId") String accountId, MoneyMovementRequest body,
                                          @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(commandSender());
        validateMovement(accountId, body);
        CommandContext context = headers.context(accountId, clock.instant());
        var command = new AccountCommand.WithdrawFunds(context, context.commandId(), body.amount(), body.reference(),
                orEmpty(body.metadata()));
        return send(command, headers, "POST /accounts/" + accountId + "/withdrawals", body,
                result -> Response.status(Response.Status.CREATED).entity(movement(result)));
    }

    @POST
    @Path("/{accountId}/freeze")
    @Operation(operationId = "freezeAccount", summary = "Freeze an account: it refuses withdrawals and outgoing transfers")
    @APIResponse(responseCode = "200", description = "The account as the command left it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountAnswer.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public CompletionStage<Response> freeze(@PathParam("accountId") String accountId, ReasonRequest body,
                                          @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(commandSender());
        ReasonRequest request = validateReason(accountId, body);
        var command = new AccountCommand.FreezeAccount(headers.context(accountId, clock.instant()), request.reason());
        return send(command, headers, "POST /accounts/" + accountId + "/freeze", request,
                result -> Response.ok(accountView(result)));
    }

    @POST
    @Path("/{accountId}/unfreeze")
    @Operation(operationId = "unfreezeAccount", summary = "Lift a freeze (tellers only)")
    @APIResponse(responseCode = "200", description = "The account as the command left it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountAnswer.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public CompletionStage<Response> unfreeze(@PathParam("accountId") String accountId, ReasonRequest body,
                                          @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(caller.get().require("lift a freeze", Role.TELLER));
        ReasonRequest request = validateReason(accountId, body);
        var command = new AccountCommand.UnfreezeAccount(headers.context(accountId, clock.instant()), request.reason());
        return send(command, headers, "POST /accounts/" + accountId + "/unfreeze", request,
                result -> Response.ok(accountView(result)));
    }

    @POST
    @Path("/{accountId}/close")
    @Operation(operationId = "closeAccount", summary = "Close an account whose balance is zero")
    @APIResponse(responseCode = "200", description = "The account as the command left it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountAnswer.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public CompletionStage<Response> close(@PathParam("accountId") String accountId, EmptyRequest body,
                                          @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(commandSender());
        new RequestValidation().id("accountId", accountId, true).orThrow();
        var command = new AccountCommand.CloseAccount(headers.context(accountId, clock.instant()));
        return send(command, headers, "POST /accounts/" + accountId + "/close", new EmptyRequest(),
                result -> Response.ok(accountView(result)));
    }

    private Caller commandSender() {
        return caller.get().require("send account commands", Role.CUSTOMER, Role.TELLER);
    }

    private CompletionStage<Response> send(AccountCommand command, CommandHeaders headers, String endpoint,
                                           Object body, Function<CommandResult, Response.ResponseBuilder> success) {
        return CommandOutcomes.send(bus, command, headers, endpoint, body, success);
    }

    /**
     * Without a client-chosen id, a retried open must still address the same account: with an
     * Idempotency-Key the id is derived from the key, so the retry meets the remembered answer.
     */
    private static String generatedId(CommandHeaders headers) {
        return headers.idempotencyKey() == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("account:" + headers.actor() + ":" + headers.idempotencyKey())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void validateMovement(String accountId, MoneyMovementRequest body) {
        RequestValidation.requireBody(body);
        new RequestValidation().id("accountId", accountId, true).amount("amount", body.amount(), true)
                .text("reference", body.reference(), false).metadata(body.metadata()).orThrow();
    }

    private static ReasonRequest validateReason(String accountId, ReasonRequest body) {
        // The body is an object ({} when there is no reason): a bare `null` or nothing is not a request.
        RequestValidation.requireBody(body);
        ReasonRequest request = body;
        new RequestValidation().id("accountId", accountId, true).text("reason", request.reason(), false).orThrow();
        return request;
    }

    static AccountAnswer accountView(CommandResult result) {
        var view = result.account();
        return new AccountAnswer(view.accountId(), view.owner(), view.currency(), view.balance(),
                view.overdraftLimit(), view.held(), view.available(), view.status(), view.version(), view.openedAt(),
                view.updatedAt(), CommandOutcomes.tokenOf(result));
    }

    private static MovementResponse movement(CommandResult result) {
        return new MovementResponse(result.transactionId(), result.account().accountId(), result.amount(),
                result.account().balance(), result.account().version(), CommandOutcomes.tokenOf(result));
    }

    private static Map<String, String> orEmpty(Map<String, String> metadata) {
        return metadata == null ? Map.of() : metadata;
    }

    /** The account view: answer to open, freeze, unfreeze and close. */
    public record AccountAnswer(String accountId, String owner, String currency, String balance,
                                String overdraftLimit,
                                @Schema(description = "Reserved by open holds: in the balance, not available") String held,
                                @Schema(description = "balance + overdraftLimit - held: what withdrawals, "
                                        + "transfers and new holds may take") String available,
                                @Schema(enumeration = {"OPEN", "FROZEN", "CLOSED"}) String status,
                                long version, Instant openedAt, Instant updatedAt, String consistencyToken) {
    }

    /** Answer to a deposit or withdrawal. */
    public record MovementResponse(String transactionId, String accountId, String amount, String balance,
                                   long version, String consistencyToken) {
    }

    /** Body of freeze and unfreeze. */
    public record ReasonRequest(String reason) {
    }

    /** Body of close: nothing, but an object, so that unknown fields are still refused. */
    public record EmptyRequest() {
    }
}
