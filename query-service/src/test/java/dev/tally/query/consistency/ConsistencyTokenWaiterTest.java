package dev.tally.query.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.schemas.ConsistencyToken;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The waiter's ticker thread under injected failures: a check that throws is retried and the waits
 * still end; a ticker that is gone ends every wait at once and turns liveness DOWN. (The check's
 * SQL against a real PostgreSQL is exercised by {@link ConsistencyWaitTest} and the system tests.)
 */
class ConsistencyTokenWaiterTest {

    private static final Duration TICK = Duration.ofMillis(5);
    private static final ConsistencyToken ALICE_AT_3 = ConsistencyToken.of("alice", 3);

    private ConsistencyTokenWaiter waiter;

    @AfterEach
    void stop() {
        waiter.stopTicking();
    }

    @Test
    void a_check_that_throws_is_retried_and_the_read_completes_once_the_projection_answers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        waiter = started((projections, accounts) -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                throw new SQLException("connection refused");
            }
            if (call <= 3) {
                throw new IllegalStateException("pool closed");
            }
            return ProjectionProgress.none().ownedBy("alice", "alice").reached("accounts", "alice", 3);
        });

        boolean reached = waiter.await("accounts", ALICE_AT_3, null, Duration.ofSeconds(5))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertTrue(reached, "the read went ahead once the check answered");
        assertTrue(calls.get() >= 4);
        assertTrue(waiter.isTicking());
        assertEquals(HealthCheckResponse.Status.UP, new ConsistencyWaiterLiveness(waiter).call().getStatus());
    }

    @Test
    void while_every_check_fails_waits_still_run_out_on_time() throws Exception {
        waiter = started((projections, accounts) -> {
            throw new IllegalStateException("database gone");
        });

        // A 200 ms wait against a check that always fails: it must end (not hang on the failure) and
        // answer "not reached"; get() gives up long after the wait and its backoff.
        boolean reached = waiter.await("accounts", ALICE_AT_3, null, Duration.ofMillis(200))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertFalse(reached, "503 projection-lagging, not a hang");
        assertTrue(waiter.isTicking());
    }

    @Test
    void a_ticker_that_is_gone_ends_every_wait_at_once_and_turns_liveness_down() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        waiter = started((projections, accounts) -> {
            calls.incrementAndGet();
            throw new StackOverflowError("injected");
        });

        boolean parked = waiter.await("accounts", ALICE_AT_3, null, Duration.ofSeconds(30))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertFalse(parked, "the parked read is answered when the ticker dies, not after its 30 s");
        waitUntilStopped();
        assertEquals(HealthCheckResponse.Status.DOWN, new ConsistencyWaiterLiveness(waiter).call().getStatus());
        boolean later = waiter.await("accounts", ALICE_AT_3, null, Duration.ofSeconds(30))
                .toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertFalse(later, "a later read is answered at once");
        assertEquals(1, calls.get());
    }

    @Test
    void a_customer_waits_only_on_its_own_accounts_and_another_owners_counts_as_missing() throws Exception {
        waiter = started((projections, accounts) -> ProjectionProgress.none()
                .ownedBy("alice", "alice").reached("accounts", "alice", 3)
                .ownedBy("bobs", "bob").reached("accounts", "bobs", 7));

        assertFalse(await(ConsistencyToken.of("bobs", 1), "alice"), "another owner's account is never reached");
        assertFalse(await(ConsistencyToken.of("nobody", 1), "alice"), "like a missing one");
        assertTrue(await(new ConsistencyToken(java.util.Map.of("alice", 3L, "bobs", 99L)), "alice"),
                "only its own account is waited on, whatever the other's version");
        assertTrue(await(ConsistencyToken.of("bobs", 7), null), "staff see every account");
    }

    @Test
    void a_read_that_is_cancelled_leaves_the_queue_at_once() {
        waiter = started((projections, accounts) -> ProjectionProgress.none());
        var read = waiter.await("accounts", ALICE_AT_3, null, Duration.ofMinutes(1)).toCompletableFuture();
        var other = waiter.await("accounts", ALICE_AT_3, null, Duration.ofMinutes(1)).toCompletableFuture();
        assertEquals(2, waiter.waiting());

        read.cancel(false);

        assertEquals(1, waiter.waiting(), "the cancelled read is no longer checked; the other still waits");
        assertFalse(other.isDone());
    }

    private boolean await(ConsistencyToken token, String owner) throws Exception {
        return waiter.await("accounts", token, owner, Duration.ofMillis(100)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    private void waitUntilStopped() throws InterruptedException {
        for (int i = 0; i < 100 && waiter.isTicking(); i++) {
            Thread.sleep(10);
        }
    }

    private static ConsistencyTokenWaiter started(ProgressSource source) {
        ConsistencyTokenWaiter waiter = new ConsistencyTokenWaiter(source, TICK);
        waiter.startTicking();
        return waiter;
    }
}
