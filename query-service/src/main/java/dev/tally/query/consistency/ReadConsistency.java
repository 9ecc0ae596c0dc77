package dev.tally.query.consistency;

import dev.tally.problems.Problem;
import dev.tally.query.platform.QueryParams;
import dev.tally.security.CurrentCaller;
import dev.tally.schemas.ConsistencyToken;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Honours the {@code Consistency-Token} and {@code Consistency-Wait} headers: the read runs once the
 * read model includes the token's writes, or the answer is 503 {@code projection-lagging}. Reads
 * themselves run on a worker thread; the waiting holds none.
 */
@ApplicationScoped
public class ReadConsistency {

    public static final String TOKEN_HEADER = "Consistency-Token";
    public static final String WAIT_HEADER = "Consistency-Wait";
    private static final long MAX_WAIT_MS = 60_000;

    /** A command's token names the accounts it appended to: one, or a transfer's two. Room to grow, no more. */
    private static final int MAX_ACCOUNTS = 16;

    private final ConsistencyTokenWaiter waiter;
    private final CurrentCaller caller;
    private final Duration defaultWait;

    ReadConsistency(ConsistencyTokenWaiter waiter, CurrentCaller caller,
                    @ConfigProperty(name = "tally.consistency.default-wait", defaultValue = "5s") Duration defaultWait) {
        this.waiter = waiter;
        this.caller = caller;
        this.defaultWait = defaultWait;
    }

    /** Runs {@code read} once {@code projection} includes the token's writes (at once without a token). */
    public Uni<Response> read(String projection, String tokenHeader, String waitHeader, Supplier<Response> read) {
        // A malformed wait is refused even without a token: a header we silently ignore is a bug hidden.
        Optional<Duration> wait = parseWait(waitHeader);
        if (wait.isEmpty()) {
            return Uni.createFrom().item(Problem.invalid(WAIT_HEADER,
                    "must be a whole number of milliseconds between 0 and " + MAX_WAIT_MS).toResponse());
        }
        if (tokenHeader == null || tokenHeader.isBlank()) {
            return onWorker(read);
        }
        Optional<ConsistencyToken> token = ConsistencyToken.decode(tokenHeader.trim()).filter(ReadConsistency::wellFormed);
        if (token.isEmpty()) {
            return Uni.createFrom().item(Problem.invalid(TOKEN_HEADER, "is not a token this service issued")
                    .toResponse());
        }
        String owner = caller.get().confinedToOwner();
        return Uni.createFrom().completionStage(waiter.await(projection, token.get(), owner, wait.get()))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(reached -> reached ? read.get() : lagging(wait.get()));
    }

    /** Anyone can write a token: only ids that could exist and versions that could be reached go to SQL. */
    private static boolean wellFormed(ConsistencyToken token) {
        return token.minimumVersions().size() <= MAX_ACCOUNTS && token.minimumVersions().entrySet().stream()
                .allMatch(e -> QueryParams.isId(e.getKey()) && e.getValue() >= 1);
    }

    private Optional<Duration> parseWait(String header) {
        if (header == null || header.isBlank()) {
            return Optional.of(defaultWait);
        }
        try {
            long millis = Long.parseLong(header.trim());
            return millis < 0 || millis > MAX_WAIT_MS ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Uni<Response> onWorker(Supplier<Response> read) {
        return Uni.createFrom().item(read).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Response lagging(Duration waited) {
        return Problem.of(503, "projection-lagging", "The read model has not caught up with your write after "
                        + waited.toMillis() + " ms; retry shortly.")
                .builder().header("Retry-After", "1").build();
    }
}
