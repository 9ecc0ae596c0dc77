package dev.tally.schemas.evolution;

import static java.util.stream.Collectors.joining;

import dev.tally.schemas.SchemaHistory;
import dev.tally.schemas.SchemaVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;

/**
 * The rules that keep every event ever written readable by today's code (DESIGN.md, decision 7).
 * Each check returns the problems it found, worded for whoever has to fix them; an empty list means
 * the rule holds. The checks themselves are Avro's ({@link SchemaCompatibility}), not ours.
 */
final class CompatibilityGate {

    private final Map<String, Schema> currentByType = new LinkedHashMap<>();
    private final SchemaHistory history;

    CompatibilityGate(List<Schema> currentSchemas, SchemaHistory history) {
        currentSchemas.forEach(schema -> currentByType.put(schema.getName(), schema));
        this.history = history;
    }

    /** A type never released has no v1, so nothing pins down what its first events look like. */
    List<String> typesWithoutARelease() {
        return currentByType.keySet().stream()
                .filter(type -> history.versionsOf(type).isEmpty())
                .map(type -> type + " has no released version: add src/main/avro-history/" + type
                        + "/v1.avsc (the release step writes it, see schemas/README.md)")
                .toList();
    }

    /** Backward transitive: the current schema of each type reads every version ever released. */
    List<String> releasesTheCurrentSchemaCannotRead() {
        List<String> problems = new ArrayList<>();
        currentByType.forEach((type, current) -> {
            for (SchemaVersion released : history.versionsOf(type)) {
                SchemaPairCompatibility result =
                        SchemaCompatibility.checkReaderWriterCompatibility(current, released.schema());
                if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                    problems.add(released + " cannot be read by the current " + type + " schema, so events "
                            + "already on the topic would become unreadable: " + reasons(result));
                }
            }
        });
        return problems;
    }

    /**
     * The current schema is the newest release (same fingerprint and same meaning), or a successor
     * that reads it and is waiting to be released.
     */
    List<String> currentSchemasThatAreNeitherTheNewestReleaseNorASuccessor() {
        List<String> problems = new ArrayList<>();
        currentByType.forEach((type, current) -> history.newest(type).ifPresent(newest -> {
            if (sameFingerprint(current, newest.schema())) {
                SchemaMeaning.firstDifference(newest.schema(), current).ifPresent(difference -> problems.add(
                        "The current " + type + " schema has the fingerprint of " + newest + " but another meaning ("
                                + difference + "): events written before and after would carry the same fingerprint "
                                + "and be read differently. Add a new field instead of changing this one."));
                return;
            }
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, newest.schema());
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                problems.add("The current " + type + " schema is neither " + newest
                        + " nor a compatible successor of it: " + reasons(result));
            }
        }));
        return problems;
    }

    /** A type dropped from the current schemas would leave its old events with no class to be read into. */
    List<String> releasedTypesWithoutACurrentSchema(Collection<String> releasedTypes) {
        return releasedTypes.stream()
                .filter(type -> !currentByType.containsKey(type))
                .map(type -> type + " was released (src/main/avro-history/" + type + ") but has no current schema: "
                        + "its events on the topic could no longer be read. Keep the type; stop emitting it instead.")
                .toList();
    }

    /** Whether the current schema of the type is already released as its newest version. */
    boolean isReleased(String type) {
        Optional<SchemaVersion> newest = history.newest(type);
        return newest.isPresent() && sameFingerprint(currentByType.get(type), newest.get().schema());
    }

    static boolean sameFingerprint(Schema a, Schema b) {
        return SchemaNormalization.parsingFingerprint64(a) == SchemaNormalization.parsingFingerprint64(b);
    }

    private static String reasons(SchemaPairCompatibility result) {
        return result.getResult().getIncompatibilities().stream()
                .map(incompatibility -> incompatibility.getType() + " at " + incompatibility.getLocation()
                        + " (" + incompatibility.getMessage() + ")")
                .collect(joining("; "));
    }
}
