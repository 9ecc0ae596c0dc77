package dev.tally.projection.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.EventMeta;
import dev.tally.projection.accounts.AccountsProjectionWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a dead-letter retry (on one instance) and a live batch (on another) that parks a later
 * event of the same account behind the parked one, interleaved the bad way: the batch has read
 * "blocked" but not committed when the retry resolves the last parked event. The later event must
 * not be left parked behind nothing. Real PostgreSQL.
 */
class DeadLetterRetryRaceTest {

    private final LogOf log = new LogOf();
    /** Own threads: the common pool has one thread on a 2-core machine, which would run the two one after the other. */
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private List<ConsumerRecord<String, byte[]>> events;

    @BeforeEach
    void emptyTables() {
        TestDatabase.truncateAll();
        events = log.append(0, AccountA.opened(), AccountA.deposit(2, 100), AccountA.deposit(3, 200));
    }

    @Test
    void a_later_event_parked_while_a_retry_runs_is_retried_too() throws Exception {
        // The deposit at sequence 2 cannot be applied at first: it is parked.
        BatchWriter breaking = new BatchWriter(failingAt(sequence -> sequence == 2), TestDatabase.dataSource(), null);
        assertEquals(1, breaking.writeOrPark(events.subList(0, 2), Map.of(), Map.of(0, 2L)));

        // A live batch with sequence 3 reads "account blocked", parks it, and is held before its commit …
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchWriter live = new BatchWriter(heldInside(inside, release), TestDatabase.dataSource(), null);
        CompletableFuture<Integer> batch = CompletableFuture.supplyAsync(
                () -> live.writeOrPark(events.subList(2, 3), Map.of(0, 2L), Map.of(0, 3L)), threads);
        assertTrue(inside.await(10, TimeUnit.SECONDS), "the live batch is inside its transaction");

        // … while an operator retries the account, the cause now gone.
        BatchWriter fixed = new BatchWriter(new AccountsProjectionWriter(), TestDatabase.dataSource(), null);
        CompletableFuture<Void> retry = CompletableFuture.runAsync(() -> {
            try {
                DeadLetters.retryAccount(TestDatabase.dataSource(), fixed, "a");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        Thread.sleep(500); // the retry gets as far as it can while the batch is open
        release.countDown();
        assertEquals(0, batch.get(20, TimeUnit.SECONDS), "the batch parks behind, it does not fail");
        retry.get(20, TimeUnit.SECONDS);

        assertEquals(List.of(), TestDatabase.rows("select \"offset\" from dead_letters where status = 'PARKED'"),
                "nothing left parked behind a retried event");
        assertEquals(List.of(Map.of("version", "3", "balance_minor", "200")),
                TestDatabase.rows("select version, balance_minor from accounts"));
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** The accounts projection, refusing the events whose sequence matches. */
    private static Projection failingAt(LongPredicate refused) {
        AccountsProjectionWriter accounts = new AccountsProjectionWriter();
        return new Delegating(accounts) {
            @Override
            public void apply(Connection transaction, List<ProjectedEvent> batch) throws SQLException {
                for (ProjectedEvent e : batch) {
                    if (refused.test(((EventMeta) e.event().get(0)).getSequence())) {
                        throw new IllegalArgumentException("cannot apply sequence " + ((EventMeta) e.event().get(0)).getSequence());
                    }
                }
                accounts.apply(transaction, batch);
            }
        };
    }

    /** The accounts projection, saying when it is inside the transaction and waiting there until released. */
    private static Projection heldInside(CountDownLatch inside, CountDownLatch release) {
        AccountsProjectionWriter accounts = new AccountsProjectionWriter();
        return new Delegating(accounts) {
            @Override
            public void apply(Connection transaction, List<ProjectedEvent> batch) throws SQLException {
                inside.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                accounts.apply(transaction, batch);
            }
        };
    }

    private abstract static class Delegating implements Projection {
        private final Projection inner;

        Delegating(Projection inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<String> tables() {
            return inner.tables();
        }
    }
}
