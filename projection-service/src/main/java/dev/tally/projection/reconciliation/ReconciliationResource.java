package dev.tally.projection.reconciliation;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;

/** {@code GET /reconciliation}: the last run (running one if none has); {@code POST}: run now. */
@Path("/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final Reconciliation reconciliation;

    ReconciliationResource(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @GET
    @Blocking
    public ReconciliationReport last() throws SQLException {
        ReconciliationReport last = reconciliation.last();
        return last != null ? last : reconciliation.run();
    }

    /** Blocking on purpose: a few aggregate queries on a worker thread, never on the event loop. */
    @POST
    @Blocking
    public ReconciliationReport runNow() throws SQLException {
        return reconciliation.run();
    }
}
