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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /reconciliation}: the last run (running one if none has); {@code POST}: run now. */
@Path("/reconciliation")
@Tag(name = "reconciliation", description = "Cross-checks of the read models against each other")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final Reconciliation reconciliation;

    private final CurrentCaller caller;

    ReconciliationResource(Reconciliation reconciliation, CurrentCaller caller) {
        this.caller = caller;
        this.reconciliation = reconciliation;
    }

    @GET
    @Operation(operationId = "getReconciliation", summary = "The last reconciliation report (a fresh one if none ran yet)")
    @Blocking
    public ReconciliationReport last() throws SQLException {
        caller.get().require("read the reconciliation report", Role.ADMIN, Role.AUDITOR);
        ReconciliationReport last = reconciliation.last();
        return last != null ? last : reconciliation.run();
    }

    /** Blocking on purpose: a few aggregate queries on a worker thread, never on the event loop. */
    @POST
    @Operation(operationId = "runReconciliation", summary = "Run a reconciliation now (admins only)")
    @Blocking
    public ReconciliationReport runNow() throws SQLException {
        caller.get().require("run a reconciliation", Role.ADMIN);
        return reconciliation.run();
    }
}
