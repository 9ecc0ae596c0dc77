package dev.tally.command.transfers;

import dev.tally.command.accounts.CommandOutcomes;
import dev.tally.command.accounts.RequestValidation;
import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.platform.CommandBus;
import dev.tally.command.platform.CommandHeaderParams;
import dev.tally.command.platform.CommandHeaders;
import dev.tally.command.platform.Problem;
import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /transfers}: starts the transfer saga on the source account and waits a bounded time
 * for its outcome. 201 COMPLETED; 202 PENDING with a Location while the money is still in flight;
 * a problem when the source refuses, or when the target refused and the money went back (REFUNDED).
 */
@Path("/transfers")
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
        String transferId = body.transferId() != null ? body.transferId() : UUID.randomUUID().toString();
        var command = new AccountCommand.SendTransfer(headers.context(body.fromAccountId(), clock.instant()),
                transferId, body.toAccountId(), body.amount(), body.reference(),
                body.metadata() == null ? Map.of() : body.metadata(), null);
        // The transfer id is an idempotency key of its own: the same transfer sent twice moves money once.
        String key = headers.idempotencyKey() != null ? headers.idempotencyKey() : "transfer:" + transferId;
        TransferRequest canonical = new TransferRequest(transferId, body.fromAccountId(), body.toAccountId(),
                body.amount(), body.reference(), command.metadata());
        CommandMessage message = CommandMessage.from(command, key, CommandHeaders.requestHash("POST /transfers", canonical));
        return bus.send(message, settleWait)
                .thenApply(TransferCommandResource::respond)
                .exceptionally(CommandOutcomes::failed);
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
            return Response.status(422).type(Problem.MEDIA_TYPE).entity(body)
                    .header(CommandOutcomes.CONSISTENCY_TOKEN, CommandOutcomes.tokenOf(result)).build();
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
