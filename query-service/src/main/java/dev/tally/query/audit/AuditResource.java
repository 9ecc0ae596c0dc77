package dev.tally.query.audit;

import dev.tally.query.accounts.AccountViews.Page;
import dev.tally.query.consistency.ReadConsistency;
import dev.tally.query.platform.QueryParams;
import io.smallrye.mutiny.Uni;
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

    private final AuditReads reads;
    private final ReadConsistency consistency;
    private final CurrentCaller caller;

    AuditResource(AuditReads reads, ReadConsistency consistency, CurrentCaller caller) {
        this.reads = reads;
        this.consistency = consistency;
        this.caller = caller;
    }

    public record AuditView(String eventId, String accountId, long sequence, String type, String actor,
                            Instant occurredAt, String commandId, String correlationId, String causationId,
                            Map<String, String> details) {
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
        return consistency.read("audit", token, wait, () -> {
            List<AuditView> items = reads.page(accountId, actor, from == null ? null : QueryParams.ceilToMicros(from),
                    to == null ? null : QueryParams.ceilToMicros(to), cursor, limit);
            String next = items.size() == limit ? new Cursor(items.get(limit - 1).occurredAt(),
                    items.get(limit - 1).eventId()).encode() : null;
            return Response.ok(new Page<>(items, next)).build();
        });
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
