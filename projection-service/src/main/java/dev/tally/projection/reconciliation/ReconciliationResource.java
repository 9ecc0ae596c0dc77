package dev.tally.projection.reconciliation;

import io.smallrye.common.annotation.Blocking;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
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

    private final CurrentCaller caller;

    ReconciliationResource(Reconciliation reconciliation, CurrentCaller caller) {
        this.caller = caller;
        this.reconciliation = reconciliation;
    }

    @GET
    @Blocking
    public ReconciliationReport last() throws SQLException {
        caller.get().require("read the reconciliation report", Role.ADMIN, Role.AUDITOR);
        ReconciliationReport last = reconciliation.last();
        return last != null ? last : reconciliation.run();
    }

    /** Blocking on purpose: a few aggregate queries on a worker thread, never on the event loop. */
    @POST
    @Blocking
    public ReconciliationReport runNow() throws SQLException {
        caller.get().require("run a reconciliation", Role.ADMIN);
        return reconciliation.run();
    }
}
