package dev.tally.projection.api;

import dev.tally.projection.rebuild.RebuildProgress;
import dev.tally.projection.rebuild.Rebuilds;
import dev.tally.projection.runner.ProjectionProgress;
import dev.tally.projection.runner.ProjectionRunners;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Status of each projection (where it stands, how far behind, how fast) and its rebuilds. */
@Path("/projections")
@Tag(name = "projections", description = "Where each projection stands, and blue-green rebuilds")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionResource {

    private final ProjectionRunners runners;
    private final Rebuilds rebuilds;

    private final CurrentCaller caller;

    ProjectionResource(ProjectionRunners runners, Rebuilds rebuilds, CurrentCaller caller) {
        this.caller = caller;
        this.runners = runners;
        this.rebuilds = rebuilds;
    }

    @GET
    @Operation(operationId = "listProjections", summary = "Every projection's status, lag and rebuild")
    public List<ProjectionView> all() {
        caller.get().require("read projections", Role.ADMIN, Role.AUDITOR);
        return runners.progress().stream().map(this::view).toList();
    }

    @GET
    @Path("/{name}")
    @Operation(operationId = "getProjection", summary = "One projection's status, lag and rebuild")
    @APIResponse(responseCode = "200", description = "The projection",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProjectionView.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no projection of that name")
    public Response one(@PathParam("name") String name) {
        caller.get().require("read projections", Role.ADMIN, Role.AUDITOR);
        return runners.progress(name).map(this::view).map(view -> Response.ok(view).build())
                .orElseGet(() -> notFound(name));
    }

    /** Starts a blue-green rebuild; progress under {@code GET /projections/{name}}. */
    @POST
    @Path("/{name}/rebuild")
    @Operation(operationId = "rebuildProjection", summary = "Start a blue-green rebuild of a projection (admins only)")
    @APIResponse(responseCode = "202", description = "Started; its progress is at `Location: /projections/{name}`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`not-found`: no projection of that name")
    @APIResponse(responseCode = "409", description = "`rebuild-running`: a rebuild of that projection is already running")
    public Response rebuild(@PathParam("name") String name) {
        caller.get().require("rebuild projections", Role.ADMIN);
        return switch (rebuilds.start(name)) {
            case STARTED -> Response.accepted(rebuilds.progress(name).orElseThrow())
                    .header("Location", "/projections/" + name).build();
            case ALREADY_RUNNING -> problem(409, "rebuild-running", "A rebuild of " + name + " is already running");
            case UNKNOWN_PROJECTION -> notFound(name);
        };
    }

    public record ProjectionView(String name, String status, long lag, long position, double eventsPerSecond,
                                 Map<Integer, Long> positions, Map<Integer, Long> lags, String lastError,
                                 RebuildProgress rebuild) {
    }

    private ProjectionView view(ProjectionProgress p) {
        String status = rebuilds.isRebuilding(p.name()) ? "REBUILDING" : p.status().name();
        return new ProjectionView(p.name(), status, p.lag(), p.position(), Math.round(p.eventsPerSecond() * 10) / 10.0,
                p.positions(), p.lags(), p.lastError(), rebuilds.progress(p.name()).orElse(null));
    }

    private static Response notFound(String name) {
        return problem(404, "not-found", "No projection named " + name);
    }

    private static Response problem(int status, String code, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(Map.of("type", "https://tally.dev/problems/" + code, "title", code, "status", status,
                        "code", code, "detail", detail))
                .build();
    }
}
