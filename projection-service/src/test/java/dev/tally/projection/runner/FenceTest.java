package dev.tally.projection.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.projection.accounts.AccountsProjectionWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One writer per read model (issue 11, 4): two writers of one projection on one database, as two
 * instances during a rolling update or a paused VM coming back are. Real PostgreSQL.
 */
class FenceTest {

    private final LogOf log = new LogOf();
    private List<ConsumerRecord<String, byte[]>> fiveEvents;

    @BeforeEach
    void emptyTables() {
        TestDatabase.truncateAll();
        fiveEvents = log.append(0, AccountA.opened(), AccountA.deposit(2, 100), AccountA.deposit(3, 200),
                AccountA.deposit(4, 300), AccountA.deposit(5, 400));
    }

    @Test
    void a_writer_whose_checkpoint_is_stale_aborts_and_leaves_the_read_model_as_it_was() {
        BatchWriter current = new BatchWriter(new AccountsProjectionWriter(), TestDatabase.dataSource(), null);
        BatchWriter stale = new BatchWriter(new AccountsProjectionWriter(), TestDatabase.dataSource(), null);
        current.write(fiveEvents.subList(0, 3), Map.of(), Map.of(0, 3L));
        current.write(fiveEvents.subList(3, 5), Map.of(0, 3L), Map.of(0, 5L));

        // The stale writer still believes nothing was written, or that the checkpoint is at 3.
        assertThrows(CheckpointStore.CheckpointMoved.class,
                () -> stale.writeOrPark(fiveEvents.subList(0, 3), Map.of(), Map.of(0, 3L)));
        assertThrows(CheckpointStore.CheckpointMoved.class,
                () -> stale.writeOrPark(fiveEvents.subList(3, 5), Map.of(0, 3L), Map.of(0, 5L)));

        assertEquals(Map.of(0, 5L), current.checkpoints());
        assertEquals(List.of(Map.of("version", "5", "balance_minor", "400")),
                TestDatabase.rows("select version, balance_minor from accounts"));
        assertEquals(List.of(), TestDatabase.rows("select * from dead_letters"));
    }

    @Test
    void two_writers_applying_the_same_partition_at_once_one_applies_and_the_other_aborts_without_rewinding() throws Exception {
        // Both writers start from "nothing stored": a new instance with all five events, and an old
        // one (the pod a rolling update replaces) with the first three, committing after the new one.
        CyclicBarrier bothInside = new CyclicBarrier(2);
        BatchWriter newer = new BatchWriter(meeting(bothInside, 0), TestDatabase.dataSource(), null);
        BatchWriter older = new BatchWriter(meeting(bothInside, 500), TestDatabase.dataSource(), null);

        // Own threads: the common pool has one thread on a 2-core machine and would run them one after the other.
        java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<Integer> newWrite = CompletableFuture.supplyAsync(
                () -> newer.writeOrPark(fiveEvents, Map.of(), Map.of(0, 5L)), both);
        Thread.sleep(200); // the newer writer is in its transaction first
        CompletableFuture<Integer> oldWrite = CompletableFuture.supplyAsync(
                () -> older.writeOrPark(fiveEvents.subList(0, 3), Map.of(), Map.of(0, 3L)), both);

        assertEquals(0, newWrite.get(20, TimeUnit.SECONDS));
        Throwable oldOutcome = oldWrite.handle((parked, failure) -> failure).get(20, TimeUnit.SECONDS);
        both.shutdown();
        assertEquals(List.of(Map.of("version", "5", "balance_minor", "400")),
                TestDatabase.rows("select version, balance_minor from accounts"));
        assertEquals(List.of(Map.of("version", "5")),
                TestDatabase.rows("select version from projection_account_positions"));
        assertEquals(Map.of(0, 5L), newer.checkpoints());
        assertEquals(CheckpointStore.CheckpointMoved.class, oldOutcome == null ? null : oldOutcome.getCause().getClass());
    }

    @Test
    void an_account_position_never_moves_backwards() throws SQLException {
        try (Connection transaction = TestDatabase.dataSource().getConnection()) {
            AccountPositions.save(transaction, "accounts", Map.of("a", new AccountPositions.Position(5, "USD", 2)));
            AccountPositions.save(transaction, "accounts", Map.of("a", new AccountPositions.Position(3, "USD", 2)));
        }
        assertEquals(List.of(Map.of("version", "5")), TestDatabase.rows("select version from projection_account_positions"));
    }

    /** The accounts projection, made to wait inside the transaction until the other writer is there too (at most 2 s). */
    private static Projection meeting(CyclicBarrier barrier, long thenWaitMillis) {
        AccountsProjectionWriter accounts = new AccountsProjectionWriter();
        return new Projection() {
            @Override
            public String name() {
                return accounts.name();
            }

            @Override
            public List<String> tables() {
                return accounts.tables();
            }

            @Override
            public void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
                try {
                    barrier.await(2, TimeUnit.SECONDS);
                } catch (Exception alone) {
                    // with the fence, the other writer waits outside: nobody comes
                }
                try {
                    Thread.sleep(thenWaitMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                accounts.apply(transaction, events);
            }
        };
    }
}
