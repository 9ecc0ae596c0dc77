package dev.tally.schemas.evolution;

import static dev.tally.schemas.SchemaEdits.released;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.schemas.EventTypes;
import dev.tally.schemas.SchemaEdits;
import dev.tally.schemas.SchemaHistory;
import dev.tally.schemas.SchemaVersion;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The build's compatibility gate (DESIGN.md, decision 7): run by {@code ./mvnw verify}, so a schema
 * change that would strand events already on the topic fails the build, saying which type and
 * version and why. The nested class shows the gate itself says no when it should.
 */
class CompatibilityGateTest {

    private final SchemaHistory shipped = SchemaHistory.shipped();
    private final CompatibilityGate gate = new CompatibilityGate(EventTypes.CURRENT, shipped);
    private final HistoryFolders folders = HistoryFolders.ofThisModule();

    @Test
    void every_current_event_type_has_a_released_v1_in_the_history() {
        assertNone(gate.typesWithoutARelease());
    }

    @Test
    void the_current_schema_of_every_type_reads_every_version_ever_released() {
        assertNone(gate.releasesTheCurrentSchemaCannotRead());
    }

    @Test
    void the_current_schema_of_every_type_is_its_newest_release_or_a_compatible_successor() {
        assertNone(gate.currentSchemasThatAreNeitherTheNewestReleaseNorASuccessor());
    }

    @Test
    void every_released_type_still_has_a_current_schema() {
        assertNone(gate.releasedTypesWithoutACurrentSchema(folders.typeNames()));
    }

    @Test
    void history_files_count_v1_v2_without_gaps_each_stands_alone_and_all_ship_in_the_jar() {
        assertNone(folders.layoutProblems());
        List<String> inSources = folders.read().stream().map(SchemaVersion::toString).sorted().toList();
        List<String> onClasspath = shipped.all().stream().map(SchemaVersion::toString).sorted().toList();
        assertEquals(inSources, onClasspath, "the history under avro/history/ on the classpath");
    }

    @Nested
    class The_gate_says_no {

        private final Schema depositV1 = released("FundsDeposited", 1);

        @Test
        void to_a_field_added_without_a_default_naming_the_type_the_version_and_the_field() {
            Schema current = SchemaEdits.withField(depositV1, "{\"name\": \"channel\", \"type\": \"string\"}");

            List<String> problems = gateFor(current, depositV1).releasesTheCurrentSchemaCannotRead();

            assertEquals(1, problems.size(), problems::toString);
            assertTrue(problems.getFirst().startsWith("FundsDeposited v1 cannot be read by the current FundsDeposited schema"),
                    problems.getFirst());
            assertTrue(problems.getFirst().contains("READER_FIELD_MISSING_DEFAULT_VALUE"), problems.getFirst());
            assertTrue(problems.getFirst().contains("channel"), problems.getFirst());
        }

        @Test
        void to_a_field_whose_type_narrowed_even_when_only_an_older_version_is_affected() {
            Schema v2 = SchemaEdits.withField(depositV1, "{\"name\": \"fee\", \"type\": \"long\", \"default\": 0}");
            Schema current = SchemaEdits.edited(depositV1, root -> SchemaEdits.field(root, "amountMinor").put("type", "int"));
            CompatibilityGate gate = new CompatibilityGate(List.of(current), SchemaHistory.of(List.of(
                    new SchemaVersion("FundsDeposited", 1, depositV1), new SchemaVersion("FundsDeposited", 2, v2))));

            List<String> problems = gate.releasesTheCurrentSchemaCannotRead();

            assertEquals(2, problems.size(), problems::toString);
            assertTrue(problems.get(0).startsWith("FundsDeposited v1 "), problems.get(0));
            assertTrue(problems.get(0).contains("TYPE_MISMATCH at /fields/2/type"), problems.get(0));
        }

        @Test
        void to_a_current_schema_that_cannot_read_its_newest_release() {
            Schema current = SchemaEdits.withoutFields(depositV1, "reference");
            current = SchemaEdits.withField(current, "{\"name\": \"reference\", \"type\": \"int\"}");

            List<String> problems = gateFor(current, depositV1).currentSchemasThatAreNeitherTheNewestReleaseNorASuccessor();

            assertEquals(1, problems.size(), problems::toString);
            assertTrue(problems.getFirst().startsWith("The current FundsDeposited schema is neither FundsDeposited v1 nor"),
                    problems.getFirst());
        }

        @Test
        void to_a_changed_logical_type_that_keeps_the_fingerprint_but_changes_the_meaning() {
            Schema current = SchemaEdits.edited(depositV1, root ->
                    ((ObjectNode) SchemaEdits.field(root, "meta.occurredAt").get("type")).put("logicalType", "timestamp-millis"));

            List<String> problems = gateFor(current, depositV1).currentSchemasThatAreNeitherTheNewestReleaseNorASuccessor();

            assertEquals(1, problems.size(), problems::toString);
            assertTrue(problems.getFirst().contains("occurredAt/type/logicalType changed from \"timestamp-micros\" to \"timestamp-millis\""),
                    problems.getFirst());
        }

        @Test
        void to_a_released_type_that_was_dropped_from_the_current_schemas() {
            List<String> problems = gateFor(depositV1, depositV1)
                    .releasedTypesWithoutACurrentSchema(List.of("FundsDeposited", "CreditsExpired"));

            assertEquals(1, problems.size(), problems::toString);
            assertTrue(problems.getFirst().startsWith("CreditsExpired was released"), problems.getFirst());
        }

        @Test
        void to_a_type_that_was_never_released() {
            CompatibilityGate gate = new CompatibilityGate(List.of(depositV1), SchemaHistory.of(List.of()));

            assertEquals(List.of("FundsDeposited has no released version: add src/main/avro-history/FundsDeposited/v1.avsc"
                    + " (the release step writes it, see schemas/README.md)"), gate.typesWithoutARelease());
        }

        @Test
        void but_not_to_a_field_added_with_a_default_which_is_a_compatible_successor() {
            Schema current = SchemaEdits.withField(depositV1,
                    "{\"name\": \"channel\", \"type\": [\"null\", \"string\"], \"default\": null}");
            CompatibilityGate gate = gateFor(current, depositV1);

            assertNone(gate.releasesTheCurrentSchemaCannotRead());
            assertNone(gate.currentSchemasThatAreNeitherTheNewestReleaseNorASuccessor());
            assertFalse(gate.isReleased("FundsDeposited"), "a successor waits for the release step");
        }

        private CompatibilityGate gateFor(Schema current, Schema v1) {
            return new CompatibilityGate(List.of(current),
                    SchemaHistory.of(List.of(new SchemaVersion(v1.getName(), 1, v1))));
        }
    }

    private static void assertNone(List<String> problems) {
        assertTrue(problems.isEmpty(), () -> "\n" + String.join("\n", problems));
    }
}
