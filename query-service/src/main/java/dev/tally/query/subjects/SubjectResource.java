package dev.tally.query.subjects;

import dev.tally.problems.Problem;
import dev.tally.query.platform.QueryParams;
import dev.tally.security.Caller;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /subjects/{owner}/export}: the right of access. Admins for anyone, a customer for
 * itself; another subject, or one the ledger knows nothing of, is a 404 to a customer alike.
 */
@Path("/subjects")
@Tag(name = "subjects", description = "Personal data: what the ledger holds about a data subject (an account owner)")
@Produces(MediaType.APPLICATION_JSON)
public class SubjectResource {

    private final SubjectExport export;
    private final CurrentCaller caller;

    SubjectResource(SubjectExport export, CurrentCaller caller) {
        this.export = export;
        this.caller = caller;
    }

    @GET
    @Path("/{owner}/export")
    @Blocking
    @Operation(operationId = "exportSubject", summary = "Everything the ledger holds about a data subject (admins, or that customer)")
    @APIResponse(responseCode = "200", description = "`{subject, exportedAt, about, accounts, accountHistory, statementLines, "
            + "holds, transfers, dailyBalances, auditTrail, actedAs}`: each an array of rows as the read models store them",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`subject-not-found`: the ledger holds nothing about this subject, "
            + "or it is not the calling customer")
    public Response export(@PathParam("owner") String owner) throws SQLException {
        Caller reader = caller.get().require("export a subject's data", Role.ADMIN, Role.CUSTOMER);
        QueryParams.textFilter("owner", owner); // 400 for control characters or an overlong text
        boolean self = owner.equals(reader.subject());
        if ((!reader.has(Role.ADMIN) && !self) || !export.knows(owner)) {
            return Problem.of(404, "subject-not-found", "The ledger holds no data about this subject").toResponse();
        }
        StreamingOutput body = out -> {
            try {
                export.write(owner, out);
            } catch (SQLException e) {
                throw new java.io.IOException("Could not read the export of " + owner, e);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"tally-export-"
                        + (QueryParams.isId(owner) ? owner : "subject") + ".json\"")
                .header("Cache-Control", "no-store").build();
    }
}
