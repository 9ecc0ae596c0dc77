package dev.tally.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.schemas.SchemaHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replay check over a recorded log that holds every event type in every released version
 * (recorded from a real stack with {@code ./run replay-check --record}, v1 withdrawals included),
 * into a real scratch PostgreSQL: it passes on the log as it is, and names the record it breaks on.
 */
class ReplayCheckTest {

    private static List<LogRecord> recorded;
    private static ScratchDatabase scratch;

    @BeforeAll
    static void load() throws Exception {
        recorded = RecordedLog.read(Path.of("src/test/resources/recorded-log.jsonl"));
        scratch = ScratchDatabase.start();
    }

    @AfterAll
    static void stop() {
        scratch.close();
    }

    @Test
    void the_recorded_log_holds_every_released_version_of_every_type_and_replays_through_todays_code() throws Exception {
        try (ScratchDatabase fresh = ScratchDatabase.start()) {
            ReplayReport report = new ReplayCheck(fresh.dataSource()).run(recorded);

            assertTrue(report.ok(), report::describe);
            Set<String> released = SchemaHistory.shipped().all().stream()
                    .map(v -> v.type() + " v" + v.number()).collect(Collectors.toSet());
            assertEquals(released, report.eventsPerVersion().keySet(), "every released version is in the fixture");
            assertEquals(recorded.size(), report.events());
            assertEquals(List.of("[erased] [erased] [erased]"), rows(fresh, "select (a.metadata->>'name') || ' '"
                    + " || string_agg(e.reference, ' ' order by e.sequence) from accounts a join entries e using (account_id)"
                    + " where account_id = 'fixture-forgotten' group by a.metadata"),
                    "the forgotten subject's text reads erased after a replay, as it did live");
        }
    }

    private static List<String> rows(ScratchDatabase database, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var connection = database.dataSource().getConnection(); var statement = connection.createStatement();
             var result = statement.executeQuery(query)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    @Test
    void a_record_no_reader_can_decode_is_reported_with_its_partition_and_offset() {
        List<LogRecord> broken = new ArrayList<>(recorded);
        LogRecord victim = broken.get(broken.size() / 2);
        broken.set(broken.size() / 2, new LogRecord(victim.partition(), victim.offset(), victim.timestamp(),
                victim.key(), victim.headers(), "garbage".getBytes(StandardCharsets.UTF_8)));

        ReplayReport report = new ReplayCheck(scratch.dataSource()).run(broken);

        assertFalse(report.ok());
        assertEquals(List.of(victim.partition(), victim.offset(), "decode"),
                List.of(report.failure().partition(), report.failure().offset(), report.failure().stage()));
        assertTrue(report.describe().contains("partition " + victim.partition() + " offset " + victim.offset()));
    }

    @Test
    void an_event_that_todays_projections_refuse_is_reported_at_that_event() throws Exception {
        // Drop an account's second event: its third then follows a gap, which projections refuse.
        LogRecord second = recorded.stream().filter(r -> r.key().startsWith("fixture-frozen")).skip(1).findFirst()
                .orElseThrow();
        LogRecord third = recorded.stream().filter(r -> r.key().equals(second.key()) && r.offset() > second.offset())
                .findFirst().orElseThrow();
        List<LogRecord> gap = new ArrayList<>(recorded);
        gap.remove(second);

        try (ScratchDatabase fresh = ScratchDatabase.start()) {
            ReplayReport report = new ReplayCheck(fresh.dataSource()).run(gap);

            assertFalse(report.ok());
            assertEquals(third.offset(), report.failure().offset(), report::describe);
            assertTrue(report.failure().stage().startsWith("projection"), report::describe);
            assertTrue(report.failure().error().contains("gap"), report::describe);
        }
    }
}
