package dev.tally.projection.deadletters;

import dev.tally.projection.runner.BatchWriter;
import dev.tally.projection.runner.DeadLetters;
import dev.tally.projection.runner.ProjectionRunner;
import dev.tally.projection.runner.ProjectionRunners;
import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Events the projections could not apply. Retrying re-applies an account's parked events in their
 * order, stopping at the first that fails again; skipping gives up on one event and then retries
 * the account's later ones. Blocking: a handful of small database transactions per call.
 */
@Path("/dead-letters")
@Tag(name = "dead-letters", description = "Events the projections could not apply: list, retry, skip")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLetterResource {

    private final AgroalDataSource dataSource;
    private final ProjectionRunners runners;

    private final CurrentCaller caller;

    DeadLetterResource(AgroalDataSource dataSource, ProjectionRunners runners, CurrentCaller caller) {
        this.caller = caller;
        this.dataSource = dataSource;
        this.runners = runners;
    }

    public record DeadLetter(long id, String projection, int partition, long offset, String accountId,
                             String eventType, String error, String status, Instant parkedAt, Instant resolvedAt) {
    }

    private record Parked(DeadLetter letter, byte[] payload) {
    }

    @GET
    @Operation(operationId = "listDeadLetters", summary = "Up to 500 dead letters, optionally of one `status`")
    public List<DeadLetter> list(@QueryParam("status") String status) throws SQLException {
        caller.get().require("read dead letters", Role.ADMIN, Role.AUDITOR);
        List<Parked> found = status == null ? query("order by id limit 500")
                : query("where status = ? order by id limit 500", status.toUpperCase());
        return found.stream().map(Parked::letter).toList();
    }

    @POST
    @Path("/{id}/retry")
    @Operation(operationId = "retryDeadLetter", summary = "Re-apply the account's parked events in order (admins only)")
    @APIResponse(responseCode = "200", description = "What is left of that account's dead letters",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeadLetter.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such dead letter, or not parked")
    public Response retry(@PathParam("id") long id) throws SQLException {
        caller.get().require("retry dead letters", Role.ADMIN);
        Optional<Parked> parked = one(id);
        if (parked.isEmpty() || !parked.get().letter().status().equals("PARKED")) {
            return notParked(id);
        }
        return Response.ok(retryAccount(parked.get().letter())).build();
    }

    @POST
    @Path("/{id}/skip")
    @Operation(operationId = "skipDeadLetter", summary = "Give up on one event, then retry the account's later ones (admins only)")
    @APIResponse(responseCode = "200", description = "What is left of that account's dead letters",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeadLetter.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such dead letter, or not parked")
    public Response skip(@PathParam("id") long id) throws SQLException {
        caller.get().require("skip dead letters", Role.ADMIN);
        Optional<Parked> parked = one(id);
        if (parked.isEmpty() || !parked.get().letter().status().equals("PARKED")) {
            return notParked(id);
        }
        writer(parked.get().letter()).skipParked(id, parked.get().payload());
        return Response.ok(retryAccount(parked.get().letter())).build();
    }

    /** Retries the account's parked events in log order; returns what is left of them. */
    private List<DeadLetter> retryAccount(DeadLetter letter) throws SQLException {
        DeadLetters.retryAccount(dataSource, writer(letter), letter.accountId());
        return query("where projection = ? and account_id is not distinct from ? order by id", letter.projection(),
                letter.accountId()).stream().map(Parked::letter).toList();
    }

    private BatchWriter writer(DeadLetter letter) {
        return runners.runner(letter.projection()).map(ProjectionRunner::writer)
                .orElseThrow(() -> new IllegalStateException("No projection " + letter.projection()));
    }

    private Optional<Parked> one(long id) throws SQLException {
        return query("where id = ?", id).stream().findFirst();
    }

    private List<Parked> query(String where, Object... parameters) throws SQLException {
        List<Parked> found = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select id, projection, partition, "offset", account_id, event_type, error, status, parked_at,
                            resolved_at, payload
                     from dead_letters\s""" + where)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] == null) {
                    select.setNull(i + 1, java.sql.Types.VARCHAR);
                } else {
                    select.setObject(i + 1, parameters[i]);
                }
            }
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    found.add(new Parked(new DeadLetter(r.getLong(1), r.getString(2), r.getInt(3), r.getLong(4),
                            r.getString(5), r.getString(6), r.getString(7), r.getString(8),
                            r.getTimestamp(9).toInstant(), r.getTimestamp(10) == null ? null : r.getTimestamp(10).toInstant()),
                            r.getBytes(11)));
                }
            }
        }
        return found;
    }

    private static Response notParked(long id) {
        return Response.status(404).type("application/problem+json").entity(Map.of("type",
                "https://tally.dev/problems/not-found", "title", "Not found", "status", 404, "code", "not-found",
                "detail", "No parked dead letter " + id)).build();
    }
}
