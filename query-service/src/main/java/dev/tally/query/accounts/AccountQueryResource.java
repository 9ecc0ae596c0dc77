package dev.tally.query.accounts;

import static dev.tally.query.accounts.AccountViews.decimal;

import dev.tally.problems.Problem;
import dev.tally.query.accounts.AccountViews.AccountView;
import dev.tally.query.accounts.AccountViews.BalanceView;
import dev.tally.query.accounts.AccountViews.DayView;
import dev.tally.query.accounts.AccountViews.Page;
import dev.tally.query.consistency.ReadConsistency;
import dev.tally.query.holds.HoldReads;
import dev.tally.query.holds.HoldView;
import dev.tally.query.platform.QueryParams;
import dev.tally.security.Caller;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Accounts, their holds, statements, balances at any instant and daily series, read from the
 * projections' tables.
 *
 * <p>Every role may read accounts; a customer sees only its own. Someone else's account answers 404
 * exactly like a missing one, checked after the consistency wait so that a customer's freshly opened
 * account is found.
 */
@Path("/accounts")
@Tag(name = "accounts", description = "Accounts, their balances, holds, statements and daily balances")
@APIResponse(responseCode = "503", description = "`projection-lagging`: the read model did not reach the "
        + "`Consistency-Token` within the wait; see `Retry-After`")
@Produces(MediaType.APPLICATION_JSON)
public class AccountQueryResource {

    private static final int MAX_DAYS = 366;

    private final AccountRepository accounts;
    private final AccountReads reads;
    private final HoldReads holds;
    private final ReadConsistency consistency;
    private final CurrentCaller caller;

    AccountQueryResource(AccountRepository accounts, AccountReads reads, HoldReads holds, ReadConsistency consistency,
                         CurrentCaller caller) {
        this.accounts = accounts;
        this.reads = reads;
        this.holds = holds;
        this.consistency = consistency;
        this.caller = caller;
    }

    private Caller reader() {
        return caller.get().require("read accounts", Role.values());
    }

    /** Whether the account is hidden from this reader: another owner's, or not there at all. */
    private boolean hiddenFrom(Caller reader, String accountId) {
        String confined = reader.confinedToOwner();
        return confined != null && !accounts.findByIdOptional(accountId).map(a -> confined.equals(a.owner())).orElse(false);
    }

    @GET
    @Operation(operationId = "listAccounts", summary = "List accounts by id, a page at a time")
    @APIResponse(responseCode = "200", description = "`{items, next}`; a customer lists only its own",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    public Uni<Response> list(@QueryParam("owner") String owner, @QueryParam("limit") String limitText,
                              @QueryParam("after") String after,
                              @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                              @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        int limit = QueryParams.limit(limitText);
        QueryParams.textFilter("owner", owner);
        QueryParams.idFilter("after", after);
        Caller reader = reader();
        String confined = reader.confinedToOwner();
        if (confined != null && owner != null && !owner.equals(confined)) {
            throw dev.tally.security.AccessProblem.forbidden(reader.subject() + " may list only its own accounts");
        }
        String ownerFilter = confined != null ? confined : owner;
        return consistency.read("accounts", token, wait, () -> inTransaction(() -> {
            List<AccountView> items = accounts.byOwner(ownerFilter, after, limit).stream().map(AccountView::of).toList();
            String next = items.size() == limit ? items.get(items.size() - 1).accountId() : null;
            return Response.ok(new Page<>(items, next)).build();
        }));
    }

    @GET
    @Path("/{accountId}")
    @Operation(operationId = "getAccount", summary = "An account, now or as it was at `asOf`")
    @APIResponse(responseCode = "200", description = "The account view; `ETag` is its version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public Uni<Response> account(@PathParam("accountId") String accountId, @QueryParam("asOf") String asOfText,
                                 @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                                 @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        Instant asOf = QueryParams.instant("asOf", asOfText);
        Caller reader = reader();
        if (!QueryParams.isId(accountId)) {
            return Uni.createFrom().item(notFound(accountId));
        }
        if (asOf == null) {
            // Someone else's account answers exactly like a missing one.
            String confined = reader.confinedToOwner();
            return consistency.read("accounts", token, wait, () -> reads.current(accountId)
                    .filter(view -> confined == null || confined.equals(view.owner()))
                    .map(view -> Response.ok(view).header("ETag", "\"" + view.version() + "\"").build())
                    .orElseGet(() -> notFound(accountId)));
        }
        return consistency.read("account-history", token, wait, () -> reads.asOf(accountId, reader.confinedToOwner(), asOf)
                .map(view -> Response.ok(view).build())
                .orElseGet(() -> notFoundAt(accountId, asOf)));
    }

    @GET
    @Path("/{accountId}/balance")
    @Operation(operationId = "getBalance", summary = "An account's balance, now or at `asOf`")
    @APIResponse(responseCode = "200", description = "`{accountId, asOf, balance, currency, version}`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public Uni<Response> balance(@PathParam("accountId") String accountId, @QueryParam("asOf") String asOfText,
                                 @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                                 @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        Instant asOf = QueryParams.instant("asOf", asOfText);
        Caller reader = reader();
        if (!QueryParams.isId(accountId)) {
            return Uni.createFrom().item(notFound(accountId));
        }
        return consistency.read("account-history", token, wait, () -> inTransaction(() -> {
            if (hiddenFrom(reader, accountId)) {
                return asOf == null ? notFound(accountId) : notFoundAt(accountId, asOf);
            }
            Optional<AccountHistoryEntity> row = asOf == null ? accounts.latest(accountId) : accounts.asOf(accountId, asOf);
            return row.map(r -> Response.ok(new BalanceView(accountId, asOf == null ? r.occurredAt() : asOf,
                            decimal(r.balanceMinor(), r.scale()), r.currency(), r.sequence())).build())
                    .orElseGet(() -> asOf == null ? notFound(accountId) : notFoundAt(accountId, asOf));
        }));
    }

    @GET
    @Path("/{accountId}/entries")
    @Operation(operationId = "listEntries", summary = "An account's statement lines, oldest first")
    @APIResponse(responseCode = "200", description = "`{items, next}`; each item `{sequence, type, amount, "
            + "balanceAfter, transactionId, transferId, counterpartyAccountId, reference, metadata, actor, occurredAt, "
            + "reversalOf?}`; `reversalOf` only on a reversal's two lines (its `TRANSFER_OUT` and `TRANSFER_IN`): the "
            + "transfer it reverses; and on a correcting `DEPOSIT` or `WITHDRAWAL`: the transaction it reverses",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public Uni<Response> entries(@PathParam("accountId") String accountId, @QueryParam("limit") String limitText,
                                 @QueryParam("after") String afterText,
                                 @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                                 @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        int limit = QueryParams.limit(limitText);
        long after = sequence(afterText);
        Caller reader = reader();
        if (!QueryParams.isId(accountId)) {
            return Uni.createFrom().item(notFound(accountId));
        }
        return consistency.read("statements", token, wait, () -> reads.entries(accountId, reader.confinedToOwner(),
                        after, limit)
                .map(items -> {
                    String next = items.size() == limit ? String.valueOf(items.get(items.size() - 1).sequence()) : null;
                    return Response.ok(new Page<>(items, next)).build();
                })
                .orElseGet(() -> notFound(accountId)));
    }

    /**
     * The account's holds by hold id, optionally of one status, two-phase transfers' reservations
     * included (hold id {@code transfer/<transferId>}). The holds are the accounts projection's (one
     * transaction with the account's {@code held}), so a token waits on it.
     */
    @GET
    @Path("/{accountId}/holds")
    @Operation(operationId = "listHolds", summary = "An account's holds by hold id, optionally of one status; "
            + "a two-phase transfer's reservation is the hold `transfer/{transferId}`")
    @APIResponse(responseCode = "200", description = "`{items, next}`; each item `{holdId, accountId, amount, "
            + "currency, status, capturedAmount?, releasedAmount?, expiresAt, placedAt, closedAt?, reference?, metadata, "
            + "transactionId?, transferId?}`; `transferId` on a reservation (its `transactionId` once posted is the "
            + "transfer)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public Uni<Response> holds(@PathParam("accountId") String accountId, @QueryParam("status") String status,
                               @QueryParam("limit") String limitText, @QueryParam("after") String after,
                               @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                               @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        int limit = QueryParams.limit(limitText);
        QueryParams.holdIdFilter("after", after);
        if (status != null && !HoldReads.STATUSES.contains(status)) {
            throw QueryParams.invalid("status", "must be one of OPEN, CAPTURED, RELEASED, EXPIRED");
        }
        Caller reader = reader();
        if (!QueryParams.isId(accountId)) {
            return Uni.createFrom().item(notFound(accountId));
        }
        String confined = reader.confinedToOwner();
        return consistency.read("accounts", token, wait, () -> holds.page(accountId, status, after, limit)
                .filter(page -> confined == null || confined.equals(page.owner()))
                .map(page -> {
                    List<HoldView> items = page.holds();
                    String next = items.size() == limit ? items.get(items.size() - 1).holdId() : null;
                    return Response.ok(new Page<>(items, next)).build();
                })
                .orElseGet(() -> notFound(accountId)));
    }

    /** One line per day from {@code from} to {@code to}; quiet days carry the previous closing balance. */
    @GET
    @Path("/{accountId}/daily")
    @Operation(operationId = "getDailyBalances", summary = "An account's opening and closing balance per UTC day")
    @APIResponse(responseCode = "200", description = "`{accountId, currency, days}`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "`account-not-found`: no such account, or not the caller's")
    public Uni<Response> daily(@PathParam("accountId") String accountId, @QueryParam("from") String fromText,
                               @QueryParam("to") String toText,
                               @HeaderParam(ReadConsistency.TOKEN_HEADER) String token,
                               @HeaderParam(ReadConsistency.WAIT_HEADER) String wait) {
        LocalDate from = QueryParams.date("from", fromText);
        LocalDate to = QueryParams.date("to", toText);
        if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw QueryParams.invalid("to", "must not be before from, and the range must be at most " + MAX_DAYS + " days");
        }
        Caller reader = reader();
        if (!QueryParams.isId(accountId)) {
            return Uni.createFrom().item(notFound(accountId));
        }
        return consistency.read("daily-balances", token, wait, () -> inTransaction(() -> {
            Optional<AccountEntity> account = accounts.findByIdOptional(accountId);
            if (account.isEmpty() || hiddenFrom(reader, accountId)) {
                return notFound(accountId);
            }
            int scale = account.get().scale();
            Map<LocalDate, DailyBalanceEntity> stored = accounts.days(accountId, from, to).stream()
                    .collect(Collectors.toMap(DailyBalanceEntity::day, Function.identity()));
            long carried = accounts.lastDayBefore(accountId, from).map(DailyBalanceEntity::closingMinor).orElse(0L);
            List<DayView> days = new ArrayList<>();
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                DailyBalanceEntity row = stored.get(day);
                days.add(row == null
                        ? new DayView(day, decimal(carried, scale), decimal(carried, scale), decimal(0, scale),
                        decimal(0, scale), 0)
                        : new DayView(day, decimal(row.openingMinor(), scale), decimal(row.closingMinor(), scale),
                        decimal(row.inMinor(), scale), decimal(row.outMinor(), scale), row.entryCount()));
                carried = row == null ? carried : row.closingMinor();
            }
            return Response.ok(Map.of("accountId", accountId, "currency", account.get().currency(), "days", days))
                    .build();
        }));
    }

    private static long sequence(String text) {
        try {
            long after = text == null ? 0 : Long.parseLong(text);
            if (after >= 0) {
                return after;
            }
        } catch (NumberFormatException ignored) {
            // falls through
        }
        throw QueryParams.invalid("after", "must be a statement sequence number");
    }

    static Response inTransaction(java.util.function.Supplier<Response> read) {
        return QuarkusTransaction.requiringNew().call(read::get);
    }

    private static Response notFound(String accountId) {
        return Problem.of(404, "account-not-found", "Account " + printable(accountId) + " does not exist").toResponse();
    }

    /** An id that is not one is not echoed back: it may hold control characters or be huge. */
    private static String printable(String accountId) {
        return QueryParams.isId(accountId) ? accountId : "(not a valid account id)";
    }

    private static Response notFoundAt(String accountId, Instant asOf) {
        return Problem.of(404, "account-not-found", "Account " + accountId + " did not exist at " + asOf).toResponse();
    }
}
