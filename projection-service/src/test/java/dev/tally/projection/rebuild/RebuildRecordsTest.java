package dev.tally.projection.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.projection.runner.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two projection-service instances on one database, as {@link RebuildRecords} sees them: one
 * rebuild of a projection at a time across both, the same progress on both, and a rebuild whose
 * instance died shown FAILED (and startable again) instead of "running" for ever.
 */
class RebuildRecordsTest {

    private final RebuildRecords first = new RebuildRecords(TestDatabase.dataSource(), "pod-a");
    private final RebuildRecords second = new RebuildRecords(TestDatabase.dataSource(), "pod-b");

    @BeforeEach
    void noRebuildsYet() {
        TestDatabase.sql("delete from projection_rebuilds");
    }

    @Test
    void while_one_instance_rebuilds_a_projection_no_other_may_and_another_projection_is_free() {
        try (RebuildRecords.Lease lease = first.lease("audit").orElseThrow()) {
            assertTrue(second.lease("audit").isEmpty(), "a second instance would drop the first one's fresh tables");
            assertTrue(first.lease("audit").isEmpty(), "nor the same instance twice");
            try (RebuildRecords.Lease other = second.lease("accounts").orElseThrow()) {
                assertEquals(Optional.empty(), first.lease("accounts").map(l -> "taken"));
            }
        }
        try (RebuildRecords.Lease after = second.lease("audit").orElseThrow()) {
            assertTrue(first.lease("audit").isEmpty());
        }
    }

    @Test
    void every_instance_sees_the_progress_and_the_outcome_of_a_rebuild_run_by_another() throws Exception {
        Instant started = Instant.parse("2026-12-05T09:00:00Z");
        try (RebuildRecords.Lease lease = first.lease("audit").orElseThrow()) {
            first.save(new RebuildProgress("audit", "REPLAYING", 400, 400, 600, 200.0, 3.0, started, null, null));
            RebuildProgress seen = second.latest("audit").orElseThrow();
            assertEquals("REPLAYING", seen.status());
            assertEquals(400, seen.applied());
            assertEquals(600, seen.lag());
            assertEquals(3.0, seen.etaSeconds());
            first.save(new RebuildProgress("audit", "DONE", 1000, 1000, 0, 250.0, null, started,
                    started.plusSeconds(4), null));
        }
        RebuildProgress done = second.latest("audit").orElseThrow();
        assertEquals("DONE", done.status(), done::toString);
        assertEquals(1000, done.applied());
        assertEquals(List.of("audit"), second.latest().stream().map(RebuildProgress::projection).toList());
    }

    @Test
    void a_rebuild_whose_instance_died_is_shown_failed_and_may_be_started_again() throws Exception {
        Instant started = Instant.parse("2026-12-05T09:00:00Z");
        RebuildRecords.Lease lease = first.lease("statements").orElseThrow();
        first.save(new RebuildProgress("statements", "REPLAYING", 10, 10, 90, 5.0, 18.0, started, null, null));
        assertEquals("REPLAYING", second.latest("statements").orElseThrow().status(), "alive, it is running");
        lease.close(); // what the database does when the instance's connection dies with it: no outcome written

        RebuildProgress orphan = second.latest("statements").orElseThrow();
        assertEquals("FAILED", orphan.status(), orphan::toString);
        assertTrue(orphan.error().contains("pod-a") && orphan.error().contains("stopped before it finished"),
                orphan.error());
        assertTrue(orphan.finishedAt() != null && orphan.etaSeconds() == null, orphan::toString);
        try (RebuildRecords.Lease again = second.lease("statements").orElseThrow()) {
            assertEquals("REPLAYING", TestDatabase.rows("select status from projection_rebuilds").get(0).get("status"),
                    "reading it changed nothing: the next rebuild overwrites it");
        }
    }
}
