package dev.tally.command.transfers;

import dev.tally.command.accounts.CommandOutcomes;
import dev.tally.command.accounts.ExpiresIn;
import dev.tally.command.accounts.RequestValidation;
import dev.tally.command.ledger.CommandContext;
import dev.tally.command.transfers.ResolveRequests.PostRequest;
import dev.tally.command.transfers.ResolveRequests.ReverseRequest;
import dev.tally.command.transfers.ResolveRequests.VoidRequest;
import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.platform.CommandBus;
import dev.tally.command.platform.CommandHeaderParams;
import dev.tally.command.platform.CommandHeaders;
import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.problems.Problem;
import dev.tally.problems.ProblemException;
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
 * A two-phase transfer ({@code twoPhase: true}) stops at 201 RESERVED until
 * {@code POST /transfers/{id}/post} moves it or {@code /void} (or its expiry) releases it.
 */
@Path("/transfers")
@Tag(name = "transfers", description = "Move money between two accounts (a saga; transfer ids are single-use)")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TransferCommandResource {

    private final CommandBus bus;
    private final CurrentCaller caller;
    private final Duration settleWait;
    private final ExpiresIn reservationExpiry;
    private final Clock clock = Clock.systemUTC();

    TransferCommandResource(CommandBus bus, CurrentCaller caller,
                            @ConfigProperty(name = "tally.transfer.wait", defaultValue = "3s") Duration settleWait,
                            @ConfigProperty(name = "tally.transfer.reservation.default-expiry", defaultValue = "P7D")
                            Duration defaultExpiry,
                            @ConfigProperty(name = "tally.transfer.reservation.max-expiry", defaultValue = "P30D")
                            Duration maxExpiry) {
        this.bus = bus;
        this.caller = caller;
        this.settleWait = settleWait;
        this.reservationExpiry = new ExpiresIn(defaultExpiry, maxExpiry);
    }

    @POST
    @Operation(operationId = "requestTransfer", summary = "Transfer money from one account to another")
    @APIResponse(responseCode = "201", description = "`COMPLETED` within the wait, or `RESERVED` for a two-phase "
            + "transfer (`twoPhase: true`: the amount waits on the source until posted, voided or expired); "
            + "`Location: /transfers/{transferId}`",
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
        boolean twoPhase = Boolean.TRUE.equals(body.twoPhase());
        if (!twoPhase && body.expiresIn() != null) {
            throw new ProblemException(Problem.invalid("expiresIn", "applies only to a two-phase transfer (twoPhase: true)"));
        }
        String transferId = transferIdOf(body, headers.idempotencyKey());
        CommandContext context = headers.context(body.fromAccountId(), clock.instant());
        Map<String, String> metadata = body.metadata() == null ? Map.of() : body.metadata();
        AccountCommand command = twoPhase
                ? new AccountCommand.ReserveTransfer(context, transferId, body.toAccountId(), body.amount(),
                        reservationExpiry.expiresAt(context.issuedAt(), body.expiresIn()), body.reference(), metadata,
                        null)
                : new AccountCommand.SendTransfer(context, transferId, body.toAccountId(), body.amount(),
                        body.reference(), metadata, null);
        // twoPhase false and absent are the same request, and hash as one did before two-phase existed.
        TransferRequest canonical = new TransferRequest(transferId, body.fromAccountId(), body.toAccountId(),
                body.amount(), body.reference(), metadata, twoPhase ? Boolean.TRUE : null, body.expiresIn());
        // Addressed to the transfer id: its single writer claims the id before the source is debited,
        // so one id moves money at most once, whatever Idempotency-Key comes with it (DESIGN.md, transfers).
        CommandMessage message = CommandMessage.requestTransfer(command, headers.idempotencyKey(),
                CommandHeaders.requestHash("POST /transfers", canonical));
        return bus.send(message, settleWait)
                .thenApply(result -> respond(result, Response.Status.CREATED))
                .exceptionally(CommandOutcomes::failed);
    }

    @POST
    @Path("/{transferId}/post")
    @Operation(operationId = "postTransfer", summary = "Move a reserved two-phase transfer's amount (or less) to its target")
    @APIResponse(responseCode = "200", description = "`COMPLETED`: the target took the posted amount, the rest of the "
            + "reservation is available again; the same post again answers the transfer as it stands",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "202", description = "`POSTED` (or `PENDING`): the money is on its way; follow `Location`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "400", description = "`validation`: an amount above the reservation, or not a positive amount")
    @APIResponse(responseCode = "404", description = "`transfer-not-found`: no such transfer, or not the caller's")
    @APIResponse(responseCode = "422", description = "`transfer-not-reserved` (one-phase, voided, expired, already posted "
            + "with another amount, or being voided), `account-frozen`; or refunded by the target (`transfer.status` `REFUNDED`)")
    @APIResponse(responseCode = "503", description = "`command-timeout`: no answer in time; the same post again is safe")
    public CompletionStage<Response> post(@PathParam("transferId") String transferId, PostRequest body,
                                          @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(
                caller.get().require("post transfers", Role.CUSTOMER, Role.TELLER));
        String amount = body == null ? null : body.amount();
        new RequestValidation().id("transferId", transferId, true).amount("amount", amount, false).orThrow();
        CommandMessage message = CommandMessage.requestResolution(true, transferId, amount,
                headers.context(null, clock.instant()));
        return bus.send(message, settleWait)
                .thenApply(result -> respond(result, Response.Status.OK))
                .exceptionally(CommandOutcomes::failed);
    }

    @POST
    @Path("/{transferId}/void")
    @Operation(operationId = "voidTransfer", summary = "Release a reserved two-phase transfer without moving money")
    @APIResponse(responseCode = "200", description = "`VOIDED` (or `EXPIRED` when its expiry came first): the reserved "
            + "amount is available again; the same void again answers the transfer as it stands",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`transfer-not-found`: no such transfer, or not the caller's")
    @APIResponse(responseCode = "422", description = "`transfer-not-reserved`: one-phase, already posted, or being posted")
    @APIResponse(responseCode = "503", description = "`command-timeout`: no answer in time; the same void again is safe")
    public CompletionStage<Response> voidTransfer(@PathParam("transferId") String transferId, VoidRequest body,
                                                  @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(
                caller.get().require("void transfers", Role.CUSTOMER, Role.TELLER));
        String reason = body == null ? null : body.reason();
        new RequestValidation().id("transferId", transferId, true).text("reason", reason, false).orThrow();
        CommandMessage message = CommandMessage.requestResolution(false, transferId, reason,
                headers.context(null, clock.instant()));
        return bus.send(message, settleWait)
                .thenApply(result -> respond(result, Response.Status.OK))
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

    @POST
    @Path("/{transferId}/reverse")
    @Operation(operationId = "reverseTransfer", summary = "Move all or part of a completed transfer back, as a new linked transfer")
    @APIResponse(responseCode = "201", description = "`COMPLETED`: the reversal (a new transfer from the original's "
            + "target to its source, `reversalOf` naming the original) moved the money; `Location: /transfers/{reversalId}`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "202", description = "`PENDING`: the reversal is still in flight; follow `Location`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`transfer-not-found`")
    @APIResponse(responseCode = "409", description = "`transfer-exists`: the reversal id was used for another transfer")
    @APIResponse(responseCode = "422", description = "`transfer-not-reversible` (not completed, or more than is left to "
            + "reverse), `insufficient-funds` (the original's target no longer holds it), `account-frozen`, `account-closed`")
    @APIResponse(responseCode = "503", description = "`command-timeout`: no answer in time; retry with the same `reversalId`")
    public CompletionStage<Response> reverse(@PathParam("transferId") String transferId, ReverseRequest body,
                                             @BeanParam CommandHeaderParams headerParams) {
        // Reversing takes money out of the original's target: a back-office act, not a customer's.
        CommandHeaders headers = headerParams.validated(caller.get().require("reverse transfers", Role.TELLER));
        RequestValidation.requireBody(body);
        new RequestValidation().id("transferId", transferId, true).id("reversalId", body.reversalId(), false)
                .amount("amount", body.amount(), false).text("reason", body.reason(), true).orThrow();
        String reversalId = body.reversalId() != null ? body.reversalId()
                : headers.idempotencyKey() != null ? UUID.nameUUIDFromBytes(("reversal\u0000" + transferId + "\u0000"
                + headers.idempotencyKey()).getBytes(StandardCharsets.UTF_8)).toString() : UUID.randomUUID().toString();
        if (reversalId.equals(transferId)) {
            throw new ProblemException(Problem.invalid("reversalId", "must differ from the transfer it reverses"));
        }
        CommandMessage message = CommandMessage.requestReversal(transferId, reversalId, body.amount(), body.reason(),
                headers.context(null, clock.instant()), headers.idempotencyKey());
        return bus.send(message, settleWait)
                .thenApply(result -> respond(result, Response.Status.CREATED))
                .exceptionally(CommandOutcomes::failed);
    }

    /** @param done the status of an answer that is final and not a refund (201 for a new transfer, 200 for a post or void) */
    private static Response respond(CommandResult result, Response.Status done) {
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
        Response.Status status = switch (transfer.status()) {
            case "PENDING", "POSTED" -> Response.Status.ACCEPTED;
            default -> done;
        };
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
        }
        if (transfer.reason() != null) {
            body.put("reason", transfer.reason());
        }
        if (transfer.requestedAt() != null) {
            body.put("requestedAt", transfer.requestedAt());
        }
        if (transfer.completedAt() != null) {
            body.put("completedAt", transfer.completedAt());
        }
        if (transfer.reversalOf() != null) {
            body.put("reversalOf", transfer.reversalOf());
        }
        body.put("twoPhase", Boolean.TRUE.equals(transfer.twoPhase()));
        if (Boolean.TRUE.equals(transfer.twoPhase())) {
            body.put("reservedAmount", transfer.reservedAmount());
            if (transfer.expiresAt() != null) {
                body.put("expiresAt", transfer.expiresAt());
            }
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
