package dev.tally.command.transfers;

import dev.tally.command.accounts.CommandOutcomes;
import dev.tally.command.accounts.RequestValidation;
import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.platform.CommandBus;
import dev.tally.command.platform.CommandHeaderParams;
import dev.tally.command.platform.CommandHeaders;
import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.problems.Problem;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /transfers}: starts the transfer saga on the source account and waits a bounded time
 * for its outcome. 201 COMPLETED; 202 PENDING with a Location while the money is still in flight;
 * a problem when the source refuses, or when the target refused and the money went back (REFUNDED).
 */
@Path("/transfers")
@Tag(name = "transfers", description = "Move money between two accounts (a saga; transfer ids are single-use)")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TransferCommandResource {

    private final CommandBus bus;
    private final CurrentCaller caller;
    private final Duration settleWait;
    private final Clock clock = Clock.systemUTC();

    TransferCommandResource(CommandBus bus, CurrentCaller caller,
                            @ConfigProperty(name = "tally.transfer.wait", defaultValue = "3s") Duration settleWait) {
        this.bus = bus;
        this.caller = caller;
        this.settleWait = settleWait;
    }

    @POST
    @Operation(operationId = "requestTransfer", summary = "Transfer money from one account to another")
    @APIResponse(responseCode = "201", description = "`COMPLETED` within the wait; `Location: /transfers/{transferId}`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "202", description = "`PENDING`: still in flight; follow `Location` at the query service",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`account-not-found`: the source does not exist, or is not the caller's")
    @APIResponse(responseCode = "409", description = "`transfer-exists`: the transfer id was used with other terms")
    @APIResponse(responseCode = "422", description = "Refused (`insufficient-funds`, `account-frozen`, `account-closed`, "
            + "`currency-mismatch`, `idempotency-key-reused`), or refunded by the target (`transfer.status` `REFUNDED`)")
    @APIResponse(responseCode = "429", description = "`rate-limited`: past the caller's command rate; see `Retry-After`")
    @APIResponse(responseCode = "503", description = "`command-timeout`: no answer in time; retry with the same `transferId`")
    public CompletionStage<Response> transfer(TransferRequest body,
                                          @BeanParam CommandHeaderParams headerParams) {
        // A customer moves money only out of its own accounts: the source's write model checks the
        // owner; the target may be anyone's.
        CommandHeaders headers = headerParams.validated(
                caller.get().require("send transfers", Role.CUSTOMER, Role.TELLER));
        RequestValidation.requireBody(body);
        new RequestValidation().id("transferId", body.transferId(), false)
                .id("fromAccountId", body.fromAccountId(), true).id("toAccountId", body.toAccountId(), true)
                .amount("amount", body.amount(), true).text("reference", body.reference(), false)
                .metadata(body.metadata()).orThrow();
        String transferId = transferIdOf(body, headers.idempotencyKey());
        var command = new AccountCommand.SendTransfer(headers.context(body.fromAccountId(), clock.instant()),
                transferId, body.toAccountId(), body.amount(), body.reference(),
                body.metadata() == null ? Map.of() : body.metadata(), null);
        TransferRequest canonical = new TransferRequest(transferId, body.fromAccountId(), body.toAccountId(),
                body.amount(), body.reference(), command.metadata());
        // Addressed to the transfer id: its single writer claims the id before the source is debited,
        // so one id moves money at most once, whatever Idempotency-Key comes with it (DESIGN.md, transfers).
        CommandMessage message = CommandMessage.requestTransfer(command, headers.idempotencyKey(),
                CommandHeaders.requestHash("POST /transfers", canonical));
        return bus.send(message, settleWait)
                .thenApply(TransferCommandResource::respond)
                .exceptionally(CommandOutcomes::failed);
    }

    /**
     * The client's id; without one, an id derived from the source account and the Idempotency-Key
     * (so a retry of the same request finds the same transfer), or a fresh one.
     */
    public static String transferIdOf(TransferRequest body, String idempotencyKey) {
        if (body.transferId() != null) {
            return body.transferId();
        }
        if (idempotencyKey != null) {
            return UUID.nameUUIDFromBytes(("transfer-key\u0000" + body.fromAccountId() + "\u0000" + idempotencyKey)
                    .getBytes(StandardCharsets.UTF_8)).toString();
        }
        return UUID.randomUUID().toString();
    }

    private static Response respond(CommandResult result) {
        if (!result.accepted()) {
            return CommandOutcomes.problemFor(result.rejection()).toResponse();
        }
        CommandResult.TransferView transfer = result.transfer();
        if ("REFUNDED".equals(transfer.status())) {
            Problem problem = CommandOutcomes.problemFor(dev.tally.command.ledger.Rejection.of(
                    transfer.reasonCode(), "The target refused the transfer and the money went back to "
                            + transfer.fromAccountId() + ": " + transfer.reason()));
            Map<String, Object> body = new LinkedHashMap<>(problemBody(problem));
            body.put("transfer", view(transfer, result));
            Response.ResponseBuilder refunded = Response.status(422).type(Problem.MEDIA_TYPE).entity(body)
                    .header(CommandOutcomes.CONSISTENCY_TOKEN, CommandOutcomes.tokenOf(result));
            if (result.replayed()) {
                refunded.header("Idempotent-Replayed", "true");
            }
            return refunded.build();
        }
        Response.Status status = "COMPLETED".equals(transfer.status()) ? Response.Status.CREATED : Response.Status.ACCEPTED;
        return CommandOutcomes.respond(result, r -> Response.status(status)
                .header("Location", "/transfers/" + transfer.transferId()).entity(view(transfer, r)));
    }

    private static Map<String, Object> view(CommandResult.TransferView transfer, CommandResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transferId", transfer.transferId());
        body.put("status", transfer.status());
        body.put("fromAccountId", transfer.fromAccountId());
        body.put("toAccountId", transfer.toAccountId());
        body.put("amount", transfer.amount());
        body.put("currency", transfer.currency());
        if (transfer.reasonCode() != null) {
            body.put("reasonCode", transfer.reasonCode());
            body.put("reason", transfer.reason());
        }
        body.put("requestedAt", transfer.requestedAt());
        if (transfer.completedAt() != null) {
            body.put("completedAt", transfer.completedAt());
        }
        body.put("consistencyToken", CommandOutcomes.tokenOf(result));
        return body;
    }

    private static Map<String, Object> problemBody(Problem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", 422);
        body.put("detail", problem.detail());
        body.put("code", problem.code());
        return body;
    }
}
