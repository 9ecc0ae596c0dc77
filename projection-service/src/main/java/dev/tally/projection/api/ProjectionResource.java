package dev.tally.projection.api;

import dev.tally.projection.runner.ProjectionProgress;
import dev.tally.projection.runner.ProjectionRunners;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Status of each projection: where it stands, how far behind, how fast. */
@Path("/projections")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionResource {

    private final ProjectionRunners runners;

    ProjectionResource(ProjectionRunners runners) {
        this.runners = runners;
    }

    @GET
    public List<ProjectionView> all() {
        return runners.progress().stream().map(ProjectionView::of).toList();
    }

    @GET
    @Path("/{name}")
    public Response one(@PathParam("name") String name) {
        return runners.progress(name).map(ProjectionView::of).map(view -> Response.ok(view).build())
                .orElseGet(() -> Response.status(404).type("application/problem+json")
                        .entity(Map.of("type", "https://tally.dev/problems/not-found", "title", "Not found",
                                "status", 404, "code", "not-found", "detail", "No projection named " + name))
                        .build());
    }

    public record ProjectionView(String name, String status, long lag, long position, double eventsPerSecond,
                                 Map<Integer, Long> positions, Map<Integer, Long> lags, String lastError) {

        static ProjectionView of(ProjectionProgress p) {
            return new ProjectionView(p.name(), p.status().name(), p.lag(), p.position(),
                    Math.round(p.eventsPerSecond() * 10) / 10.0, p.positions(), p.lags(), p.lastError());
        }
    }
}
