package dev.tally.query.consistency;

import dev.tally.schemas.ConsistencyToken;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Read-your-writes without a thread per waiting request. Requests that carry a consistency token
 * park a future here; one ticker thread asks the database, in a single query for all of them, how
 * far each projection has got for the accounts they wait on, and completes the futures whose
 * versions are reached (true) or whose wait ran out (false).
 *
 * <p>The ticker must not die silently, or every read with a token would hang: a failed check (the
 * database is down) is logged and retried with backoff while waits still run out on time. Only an
 * {@link Error} ends the thread; then every parked and later read answers at once (503) and
 * {@link #isTicking()} turns the service's liveness DOWN, so that it gets restarted.
 */
@ApplicationScoped
public class ConsistencyTokenWaiter {

    private static final Logger LOG = Logger.getLogger(ConsistencyTokenWaiter.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final ProgressSource progress;
    private final Duration tick;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile Thread ticker;
    private volatile boolean ticking;
    private volatile boolean stopping;
    private volatile Instant lastTick = Instant.now();

    @Inject
    ConsistencyTokenWaiter(ProgressSource progress,
                           @ConfigProperty(name = "tally.consistency.poll-interval", defaultValue = "10ms") Duration tick) {
        this.progress = progress;
        this.tick = tick;
    }

    void start(@Observes StartupEvent startup) {
        startTicking();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopTicking();
    }

    void startTicking() {
        ticking = true;
        ticker = Thread.ofPlatform().name("consistency-token-waiter").daemon().start(this::tickUntilStopped);
    }

    void stopTicking() {
        stopping = true;
        if (ticker != null) {
            ticker.interrupt();
        }
    }

    /** Whether waiting reads are being checked; false once the ticker thread has ended. */
    public boolean isTicking() {
        return ticking && ticker != null && ticker.isAlive();
    }

    Instant lastTick() {
        return lastTick;
    }

    /** How many reads are parked right now (the liveness check reports it). */
    int waiting() {
        return waiters.size();
    }

    /**
     * Completes with true once {@code projection} includes the token's writes, false after
     * {@code wait}. A reader confined to {@code owner} (null: sees everything) waits only on the
     * accounts it owns: another owner's account counts as a missing one, so a token tells it nothing.
     */
    public CompletionStage<Boolean> await(String projection, ConsistencyToken token, String owner, Duration wait) {
        Waiter waiter = new Waiter(projection, token.minimumVersions(), owner, System.nanoTime() + wait.toNanos(),
                new CompletableFuture<>());
        // A client that goes away cancels its read (Quarkus REST cancels the Uni, Mutiny this future):
        // its wait ends now, rather than being checked on every tick until its deadline.
        waiter.done.whenComplete((reached, cancelled) -> {
            if (cancelled != null) {
                waiters.remove(waiter);
            }
        });
        waiters.add(waiter);
        if (!ticking) {
            // The ticker is gone (or went between the add and here): nobody would ever answer this read.
            waiters.remove(waiter);
            waiter.done.complete(false);
        }
        return waiter.done;
    }

    private void tickUntilStopped() {
        int failures = 0;
        try {
            while (!stopping) {
                failures = checkAll(failures) ? 0 : failures + 1;
                lastTick = Instant.now();
                Thread.sleep(delayAfter(failures).toMillis());
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Error fatal) {
            LOG.error("The consistency-token waiter stopped; reads with a Consistency-Token now answer 503 and "
                    + "liveness is DOWN", fatal);
            throw fatal;
        } finally {
            ticking = false;
            waiters.forEach(waiter -> waiter.done.complete(false));
            waiters.clear();
        }
    }

    /** The poll interval while checks succeed; doubling up to {@link #MAX_BACKOFF} while they fail. */
    Duration delayAfter(int failures) {
        if (failures == 0) {
            return tick;
        }
        long millis = tick.toMillis() << Math.min(failures, 16);
        return Duration.ofMillis(Math.min(Math.max(millis, 1), MAX_BACKOFF.toMillis()));
    }

    /** One round: completes what is reached or expired. False when the projections could not be asked. */
    private boolean checkAll(int failuresSoFar) {
        if (waiters.isEmpty()) {
            return true;
        }
        Set<String> projections = new HashSet<>();
        Set<String> accounts = new HashSet<>();
        waiters.forEach(waiter -> {
            projections.add(waiter.projection);
            accounts.addAll(waiter.versions.keySet());
        });
        ProjectionProgress reached;
        boolean answered = true;
        try {
            reached = progress.read(projections, accounts);
        } catch (Exception e) {
            // Waits still run out on time below, so a broken database gives prompt 503s, not hangs.
            if (failuresSoFar == 0) {
                LOG.warnf(e, "Cannot check projection progress for %d waiting reads; retrying with backoff",
                        waiters.size());
            } else {
                LOG.warnf("Still cannot check projection progress (%d failures in a row): %s", failuresSoFar + 1, e);
            }
            reached = ProjectionProgress.none();
            answered = false;
        }
        long now = System.nanoTime();
        for (Waiter waiter : waiters) {
            if (waiter.isReachedBy(reached)) {
                waiters.remove(waiter);
                waiter.done.complete(true);
            } else if (now - waiter.deadlineNanos >= 0) {
                waiters.remove(waiter);
                waiter.done.complete(false);
            }
        }
        return answered;
    }

    private record Waiter(String projection, Map<String, Long> versions, String owner, long deadlineNanos,
                          CompletableFuture<Boolean> done) {

        /** Every account the reader may see is reached, and there is at least one. */
        boolean isReachedBy(ProjectionProgress reached) {
            Set<String> counted = reached.visible(versions.keySet(), owner);
            return !counted.isEmpty() && counted.stream()
                    .allMatch(account -> reached.version(projection, account) >= versions.get(account));
        }
    }
}
