package dev.tally.command.holds;

import dev.tally.command.accounts.CommandOutcomes;
import dev.tally.command.accounts.ExpiresIn;
import dev.tally.command.accounts.RequestValidation;
import dev.tally.command.holds.HoldRequests.CaptureHoldRequest;
import dev.tally.command.holds.HoldRequests.PlaceHoldRequest;
import dev.tally.command.holds.HoldRequests.ReleaseHoldRequest;
import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.ledger.CommandContext;
import dev.tally.command.platform.CommandBus;
import dev.tally.command.platform.CommandHeaderParams;
import dev.tally.command.platform.CommandHeaders;
import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.security.Caller;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Holds: reserve money on an account ({@code POST /accounts/{id}/holds}), then capture it (all or
 * part, as a withdrawal) or release it; the write model expires what is left open. Each answers
 * the hold as the command left it.
 */
@Path("/accounts/{accountId}/holds")
@Tag(name = "holds", description = "Reserve money on an account, then capture or release it; open holds expire")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class HoldCommandResource {

    private final CommandBus bus;
    private final CurrentCaller caller;
    private final ExpiresIn expiry;
    private final Clock clock = Clock.systemUTC();

    HoldCommandResource(CommandBus bus, CurrentCaller caller,
                        @ConfigProperty(name = "tally.holds.default-expiry", defaultValue = "P7D") Duration defaultExpiry,
                        @ConfigProperty(name = "tally.holds.max-expiry", defaultValue = "P30D") Duration maxExpiry) {
        this.bus = bus;
        this.caller = caller;
        this.expiry = new ExpiresIn(defaultExpiry, maxExpiry);
    }

    @POST
    @Operation(operationId = "placeHold", summary = "Reserve money on an account until it is captured, released or expires")
    @APIResponse(responseCode = "201", description = "Held: status `OPEN`. The same placement again answers 201 too, "
            + "with `Idempotent-Replayed: true`: the first answer for the same `Idempotency-Key`, the hold as it is now "
            + "for the same hold id and body without one",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HoldAnswer.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    @APIResponse(responseCode = "409", description = "`hold-exists`: the hold id was used on this account with another request")
    @APIResponse(responseCode = "422", description = "`insufficient-funds` (the available balance does not cover it), "
            + "`account-frozen`, `account-closed`")
    public CompletionStage<Response> place(@PathParam("accountId") String accountId, PlaceHoldRequest body,
                                           @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(sender());
        RequestValidation.requireBody(body);
        new RequestValidation().id("accountId", accountId, true).id("holdId", body.holdId(), false)
                .amount("amount", body.amount(), true).text("reference", body.reference(), false)
                .metadata(body.metadata()).orThrow();
        CommandContext context = headers.context(accountId, clock.instant());
        String holdId = body.holdId() != null ? body.holdId() : generatedId(headers);
        Instant expiresAt = expiry.expiresAt(context.issuedAt(), body.expiresIn());
        var command = new AccountCommand.PlaceHold(context, holdId, body.amount(), expiresAt,
                body.reference(), body.metadata() == null ? Map.of() : body.metadata(), null);
        // Always remembered with the hold, so that the same placement sent again (a retry without an
        // Idempotency-Key) is answered with the hold instead of refused as a second use of its id.
        String requestHash = CommandHeaders.requestHash("POST /accounts/" + accountId + "/holds " + holdId, body);
        CommandMessage message = CommandMessage.from(command, headers.idempotencyKey(), requestHash);
        return CommandOutcomes.send(bus, message, result -> Response.status(Response.Status.CREATED).entity(answer(result)));
    }

    @POST
    @Path("/{holdId}/capture")
    @Operation(operationId = "captureHold", summary = "Turn all or part of an open hold into a withdrawal; the rest is released")
    @APIResponse(responseCode = "200", description = "Captured: status `CAPTURED`, `transactionId` names the withdrawal",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HoldAnswer.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`, `hold-not-found`")
    @APIResponse(responseCode = "422", description = "`hold-not-open` (captured, released or expired), `account-frozen`")
    public CompletionStage<Response> capture(@PathParam("accountId") String accountId, @PathParam("holdId") String holdId,
                                             CaptureHoldRequest body, @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(sender());
        RequestValidation.requireBody(body);
        new RequestValidation().id("accountId", accountId, true).id("holdId", holdId, true)
                .amount("amount", body.amount(), false).orThrow();
        CommandContext context = headers.context(accountId, clock.instant());
        var command = new AccountCommand.CaptureHold(context, holdId, body.amount(), context.commandId(), null);
        return CommandOutcomes.send(bus, command, headers, "POST /accounts/" + accountId + "/holds/" + holdId + "/capture",
                body, result -> Response.ok(answer(result)));
    }

    @POST
    @Path("/{holdId}/release")
    @Operation(operationId = "releaseHold", summary = "Release an open hold: its money is available again")
    @APIResponse(responseCode = "200", description = "Released: status `RELEASED`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HoldAnswer.class)))
    @APIResponse(responseCode = "404", description = "`account-not-found`, `hold-not-found`")
    @APIResponse(responseCode = "422", description = "`hold-not-open` (captured, released or expired)")
    public CompletionStage<Response> release(@PathParam("accountId") String accountId, @PathParam("holdId") String holdId,
                                             ReleaseHoldRequest body, @BeanParam CommandHeaderParams headerParams) {
        CommandHeaders headers = headerParams.validated(sender());
        RequestValidation.requireBody(body);
        new RequestValidation().id("accountId", accountId, true).id("holdId", holdId, true)
                .text("reason", body.reason(), false).orThrow();
        CommandContext context = headers.context(accountId, clock.instant());
        var command = new AccountCommand.ReleaseHold(context, holdId, body.reason(), null);
        return CommandOutcomes.send(bus, command, headers, "POST /accounts/" + accountId + "/holds/" + holdId + "/release",
                body, result -> Response.ok(answer(result)));
    }

    private Caller sender() {
        return caller.get().require("hold money", Role.CUSTOMER, Role.TELLER);
    }

    /** Without a client-chosen hold id, a retry with the same Idempotency-Key must address the same hold. */
    private static String generatedId(CommandHeaders headers) {
        return headers.idempotencyKey() == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("hold:" + headers.actor() + ":" + headers.idempotencyKey())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    static HoldAnswer answer(CommandResult result) {
        CommandResult.HoldView hold = result.hold();
        CommandResult.AccountView account = result.account();
        return new HoldAnswer(hold.holdId(), hold.accountId(), hold.amount(), hold.currency(), hold.status(),
                hold.capturedAmount(), hold.releasedAmount(), hold.expiresAt(), hold.placedAt(), hold.closedAt(),
                hold.transactionId(), account.balance(), account.held(), account.available(), account.version(),
                CommandOutcomes.tokenOf(result));
    }

    /** A hold as the command left it, with the account's balance, held and available money after it. */
    public record HoldAnswer(String holdId, String accountId, String amount, String currency,
                             @Schema(enumeration = {"OPEN", "CAPTURED", "RELEASED", "EXPIRED"}) String status,
                             String capturedAmount, String releasedAmount, Instant expiresAt, Instant placedAt,
                             Instant closedAt, String transactionId, String balance, String held, String available,
                             long version, String consistencyToken) {
    }
}
