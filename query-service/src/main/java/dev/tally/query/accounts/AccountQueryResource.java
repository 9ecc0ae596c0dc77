package dev.tally.query.accounts;

import dev.tally.query.accounts.AccountViews.AccountView;
import dev.tally.query.accounts.AccountViews.EntryView;
import dev.tally.query.accounts.AccountViews.Page;
import dev.tally.query.consistency.ReadConsistency;
import dev.tally.query.platform.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Accounts and statements, read from the projection's tables. */
@Path("/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountQueryResource {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final AccountRepository accounts;
    private final ReadConsistency consistency;

    AccountQueryResource(AccountRepository accounts, ReadConsistency consistency) {
        this.accounts = accounts;
        this.consistency = consistency;
    }

    @GET
    @Path("/{accountId}")
    public Uni<Response> account(@PathParam("accountId") String accountId,
                                 @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                                 @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        return consistency.read(token, wait, () -> QuarkusTransaction.requiringNew().call(() ->
                accounts.findByIdOptional(accountId)
                        .map(row -> Response.ok(AccountView.of(row)).header("ETag", "\"" + row.version() + "\"").build())
                        .orElseGet(() -> notFound(accountId))));
    }

    @GET
    @Path("/{accountId}/entries")
    public Uni<Response> entries(@PathParam("accountId") String accountId, @QueryParam("limit") String limitParam,
                                 @QueryParam("after") String afterParam,
                                 @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                                 @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        int limit;
        long after;
        try {
            limit = limitParam == null ? DEFAULT_LIMIT : Integer.parseInt(limitParam);
            after = afterParam == null ? 0 : Long.parseLong(afterParam);
        } catch (NumberFormatException e) {
            return Uni.createFrom().item(invalid("limit and after must be whole numbers"));
        }
        if (limit < 1 || limit > MAX_LIMIT || after < 0) {
            return Uni.createFrom().item(invalid("limit must be between 1 and " + MAX_LIMIT + ", after at least 0"));
        }
        return consistency.read(token, wait, () -> QuarkusTransaction.requiringNew().call(() -> {
            if (!accounts.exists(accountId)) {
                return notFound(accountId);
            }
            List<EntryView> items = accounts.entries(accountId, after, limit).stream().map(EntryView::of).toList();
            String next = items.size() == limit ? String.valueOf(items.get(items.size() - 1).sequence()) : null;
            return Response.ok(new Page<>(items, next)).build();
        }));
    }

    private static Response notFound(String accountId) {
        return Problem.of(404, "account-not-found", "Account " + accountId + " does not exist").toResponse();
    }

    private static Response invalid(String detail) {
        return Problem.of(400, "validation", detail).toResponse();
    }
}
