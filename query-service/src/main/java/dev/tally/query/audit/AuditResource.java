package dev.tally.query.audit;

import dev.tally.query.accounts.AccountViews.Page;
import dev.tally.query.consistency.ReadConsistency;
import dev.tally.query.platform.QueryParams;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /audit}: who did what and when. This is the auditor's view: it shows every event's
 * provenance (command, correlation and causation ids) and facts, which an owner's view omits.
 */
@Path("/audit")
@Tag(name = "audit", description = "Every event, for auditors and admins")
@APIResponse(responseCode = "503", description = "`projection-lagging`: the read model did not reach the "
        + "`Consistency-Token` within the wait; see `Retry-After`")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final EntityManager entities;
    private final ReadConsistency consistency;
    private final CurrentCaller caller;

    AuditResource(EntityManager entities, ReadConsistency consistency, CurrentCaller caller) {
        this.entities = entities;
        this.consistency = consistency;
        this.caller = caller;
    }

    public record AuditView(String eventId, String accountId, long sequence, String type, String actor,
                            Instant occurredAt, String commandId, String correlationId, String causationId,
                            Map<String, String> details) {

        static AuditView of(AuditEntryEntity e) {
            return new AuditView(e.eventId(), e.accountId(), e.sequence(), e.eventType(), e.actor(), e.occurredAt(),
                    e.commandId(), e.correlationId(), e.causationId(), e.details());
        }
    }

    @GET
    @Operation(operationId = "listAuditEvents", summary = "Events by time, filtered by account, actor and time")
    @APIResponse(responseCode = "200", description = "`{items, next}`; each item's `details` are the event's own "
            + "fields, as text, those without a value left out (a reversal's `TransferDebited` and `TransferCredited`: "
            + "`reversalOf`, the transfer it reverses)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    public Uni<Response> audit(@QueryParam("accountId") String accountId, @QueryParam("actor") String actor,
                               @QueryParam("from") String fromText, @QueryParam("to") String toText,
                               @QueryParam("limit") String limitText, @QueryParam("after") String after,
                               @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                               @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        caller.get().require("read the audit trail", Role.AUDITOR, Role.ADMIN);
        Instant from = QueryParams.instant("from", fromText);
        Instant to = QueryParams.instant("to", toText);
        int limit = QueryParams.limit(limitText);
        QueryParams.idFilter("accountId", accountId);
        QueryParams.textFilter("actor", actor);
        Cursor cursor = Cursor.decode(after);
        return consistency.read("audit", token, wait, () -> QuarkusTransaction.requiringNew().call(() -> {
            StringBuilder jpql = new StringBuilder("from AuditEntryEntity a where 1 = 1");
            if (accountId != null) {
                jpql.append(" and a.accountId = :account");
            }
            if (actor != null) {
                jpql.append(" and a.actor = :actor");
            }
            if (from != null) {
                jpql.append(" and a.occurredAt >= :from");
            }
            if (to != null) {
                jpql.append(" and a.occurredAt < :to");
            }
            if (cursor != null) {
                jpql.append(" and (a.occurredAt > :cursorAt or (a.occurredAt = :cursorAt and a.eventId > :cursorId))");
            }
            jpql.append(" order by a.occurredAt, a.eventId");
            TypedQuery<AuditEntryEntity> query = entities.createQuery(jpql.toString(), AuditEntryEntity.class);
            if (accountId != null) {
                query.setParameter("account", accountId);
            }
            if (actor != null) {
                query.setParameter("actor", actor);
            }
            if (from != null) {
                query.setParameter("from", QueryParams.ceilToMicros(from));
            }
            if (to != null) {
                query.setParameter("to", QueryParams.ceilToMicros(to));
            }
            if (cursor != null) {
                query.setParameter("cursorAt", cursor.at()).setParameter("cursorId", cursor.eventId());
            }
            List<AuditView> items = query.setMaxResults(limit).getResultList().stream().map(AuditView::of).toList();
            String next = items.size() == limit ? new Cursor(items.get(limit - 1).occurredAt(),
                    items.get(limit - 1).eventId()).encode() : null;
            return Response.ok(new Page<>(items, next)).build();
        }));
    }

    /** Keyset position (occurred-at, event id), opaque to clients. */
    record Cursor(Instant at, String eventId) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((at + "|" + eventId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            if (text == null) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", 2);
                // Event ids are UUIDs: anything else in a cursor was written by hand and must not reach SQL.
                return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]).toString());
            } catch (RuntimeException e) {
                throw QueryParams.invalid("after", "is not a cursor this service issued");
            }
        }
    }
}
