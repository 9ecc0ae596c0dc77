package dev.tally.query.transfers;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.problems.Problem;
import dev.tally.query.accounts.AccountViews;
import dev.tally.query.consistency.ReadConsistency;
import dev.tally.query.platform.QueryParams;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.EntityManager;
import dev.tally.security.Caller;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /transfers/{id}}: where a transfer's saga stands (a two-phase transfer's too: reserved, posted, voided, expired). */
@Path("/transfers")
@Tag(name = "transfers", description = "Where a transfer's saga stands")
@APIResponse(responseCode = "503", description = "`projection-lagging`: the read model did not reach the "
        + "`Consistency-Token` within the wait; see `Retry-After`")
@Produces(MediaType.APPLICATION_JSON)
public class TransferQueryResource {

    private final EntityManager entities;
    private final ReadConsistency consistency;
    private final CurrentCaller caller;

    TransferQueryResource(EntityManager entities, ReadConsistency consistency, CurrentCaller caller) {
        this.entities = entities;
        this.consistency = consistency;
        this.caller = caller;
    }

    /**
     * A transfer as API.md shows it. {@code twoPhase} is always there; {@code reservedAmount} and
     * {@code expiresAt} only on a two-phase transfer, {@code reason} on a refunded one (the refusal's
     * detail) or a voided one (the client's reason, if it gave one). Reversals, both ways:
     * {@code reversalOf} on a reversal (whatever its status), {@code reversedAmount} and
     * {@code reversals} on every {@code COMPLETED} transfer ({@code "0.00"} and {@code []} when nothing
     * was reversed; only a completed transfer can be), counting only the reversals that completed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransferView(String transferId, String fromAccountId, String toAccountId,
                               @Schema(description = "What moves (or, until posted, is reserved): a two-phase "
                                       + "transfer's posted amount once `POSTED`")
                               String amount,
                               String currency,
                               @Schema(description = "`PENDING` (in flight), `COMPLETED` or `REFUNDED`; a two-phase "
                                       + "transfer is `RESERVED` (held on the source), then `POSTED` (then `COMPLETED` "
                                       + "or `REFUNDED`), or ends `VOIDED` (by a client) or `EXPIRED` (at `expiresAt`). "
                                       + "`completedAt` is when it ended, whichever way",
                                       enumeration = {"PENDING", "COMPLETED", "REFUNDED", "RESERVED", "POSTED", "VOIDED",
                                               "EXPIRED"})
                               String status,
                               @Schema(description = "Whether the transfer was reserved first (two-phase): then "
                                       + "`reservedAmount` and `expiresAt` (when the reservation expires if it is still "
                                       + "`RESERVED`) are set too")
                               boolean twoPhase,
                               @Schema(description = "Two-phase only: the amount reserved on the source")
                               String reservedAmount,
                               Instant expiresAt,
                               String reasonCode,
                               @Schema(description = "A refund's detail, or the client's reason for voiding")
                               String reason,
                               String reference, Instant requestedAt, Instant completedAt, String correlationId,
                               @Schema(description = "On a reversal only (a transfer back from the original's "
                                       + "target to its source, `POST /transfers/{id}/reverse`): the id of the transfer "
                                       + "it reverses")
                               String reversalOf,
                               @Schema(description = "On a `COMPLETED` transfer only: how much of it the reversals "
                                       + "that completed have moved back, `\"0.00\"` when none (a pending or refunded "
                                       + "reversal counts nothing)")
                               String reversedAmount,
                               @Schema(description = "On a `COMPLETED` transfer only: the ids of the reversals of it "
                                       + "that completed, oldest first (by when each was requested); empty when none")
                               List<String> reversals) {

        static TransferView of(TransferEntity t, List<String> completedReversals) {
            boolean completed = COMPLETED.equals(t.status());
            return new TransferView(t.transferId(), t.fromAccountId(), t.toAccountId(),
                    AccountViews.decimal(t.amountMinor(), t.scale()), t.currency(), t.status(), t.twoPhase(),
                    t.reservedAmountMinor() == null ? null : AccountViews.decimal(t.reservedAmountMinor(), t.scale()),
                    t.expiresAt(), t.reasonCode(), t.reason(), t.reference(), t.requestedAt(), t.completedAt(),
                    t.correlationId(), t.reversalOf(),
                    completed ? AccountViews.decimal(t.reversedAmountMinor(), t.scale()) : null,
                    completed ? completedReversals : null);
        }
    }

    private static final String COMPLETED = "COMPLETED";

    @GET
    @Path("/{transferId}")
    @Operation(operationId = "getTransfer", summary = "A transfer: `PENDING`, `COMPLETED` or `REFUNDED`; two-phase: "
            + "`RESERVED`, `POSTED`, `VOIDED` or `EXPIRED` too; a reversal names what it reverses, a completed transfer "
            + "what has been reversed")
    @APIResponse(responseCode = "200", description = "The transfer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferView.class)))
    @APIResponse(responseCode = "404", description = "`transfer-not-found`: no such transfer, or not one of the caller's")
    public Uni<Response> transfer(@PathParam("transferId") String transferId,
                                  @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                                  @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        Caller reader = caller.get().require("read transfers", Role.values());
        if (!QueryParams.isId(transferId)) {
            return Uni.createFrom().item(Problem.of(404, "transfer-not-found",
                    "No transfer has an id like that (ids match " + QueryParams.ID.pattern() + ")").toResponse());
        }
        return consistency.read("transfers", token, wait, () -> QuarkusTransaction.requiringNew().call(() -> {
            TransferEntity found = entities.find(TransferEntity.class, transferId);
            // A customer sees transfers into or out of its own accounts; any other is "not known".
            // (A reversal runs between the same two accounts, so whoever sees one sees the other.)
            return found == null || !visibleTo(reader, found)
                    ? Problem.of(404, "transfer-not-found", "Transfer " + transferId + " is not known").toResponse()
                    : Response.ok(TransferView.of(found, COMPLETED.equals(found.status())
                            ? completedReversalsOf(transferId) : List.of())).build();
        }));
    }

    /**
     * The reversals of a transfer that completed, oldest first (index transfers_by_reversal_of). Read
     * in the same transaction as the transfer's row, whose reversed amount the projection sums from
     * these very rows: the list and the amount always agree.
     */
    private List<String> completedReversalsOf(String transferId) {
        return entities.createQuery("select r.transferId from TransferEntity r where r.reversalOf = :original "
                        + "and r.status = :completed order by r.requestedAt, r.transferId", String.class)
                .setParameter("original", transferId).setParameter("completed", COMPLETED).getResultList();
    }

    private boolean visibleTo(Caller reader, TransferEntity transfer) {
        String confined = reader.confinedToOwner();
        if (confined == null) {
            return true;
        }
        Long owned = entities.createQuery("select count(a) from AccountEntity a where a.accountId in (:from, :to) "
                        + "and a.owner = :owner", Long.class)
                .setParameter("from", transfer.fromAccountId()).setParameter("to", transfer.toAccountId())
                .setParameter("owner", confined).getSingleResult();
        return owned > 0;
    }
}
