package dev.tally.schemas.evolution;

import dev.tally.schemas.EventTypes;
import dev.tally.schemas.SchemaHistory;
import dev.tally.schemas.SchemaVersion;
import dev.tally.schemas.golden.GoldenFixture;
import dev.tally.schemas.golden.GoldenSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The deliberate step that releases the current schemas: for each type whose current schema is not
 * its newest released version yet, it writes {@code avro-history/<Type>/v<N+1>.avsc} (standalone),
 * and it writes the golden fixture of each type's newest version when there is none. It never
 * replaces a file, and refuses to release anything while the compatibility gate has a complaint.
 *
 * <p>Run from the repository root: {@code ./mvnw -pl schemas test-compile exec:java@release-schemas}
 * (the arguments, set in the pom, are the source, history and golden folders).
 */
public final class SchemaRelease {

    private final Path sourceDir;
    private final HistoryFolders history;
    private final Path goldenDir;

    SchemaRelease(Path sourceDir, Path historyDir, Path goldenDir) {
        this.sourceDir = sourceDir;
        this.history = new HistoryFolders(historyDir);
        this.goldenDir = goldenDir;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: SchemaRelease <src/main/avro> <src/main/avro-history> <src/test/resources/golden>");
            System.exit(2);
        }
        List<String> problems = new SchemaRelease(Path.of(args[0]), Path.of(args[1]), Path.of(args[2])).run();
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("not released: " + problem));
            System.exit(1);
        }
    }

    /** Does the release and returns why it could not, if it could not; prints what it wrote. */
    List<String> run() throws IOException {
        SchemaHistory released = SchemaHistory.of(history.read());
        CompatibilityGate gate = new CompatibilityGate(EventTypes.CURRENT, released);
        List<String> problems = new ArrayList<>(history.layoutProblems());
        problems.addAll(gate.releasesTheCurrentSchemaCannotRead());
        problems.addAll(gate.currentSchemasThatAreNeitherTheNewestReleaseNorASuccessor());
        if (!problems.isEmpty()) {
            return problems;
        }
        SourceSchemas sources = SourceSchemas.parse(sourceDir);
        for (Schema current : EventTypes.CURRENT) {
            String type = current.getName();
            Schema source = sources.of(type);
            if (!CompatibilityGate.sameFingerprint(source, current)) {
                return List.of(sourceDir + "/" + type + ".avsc differs from the compiled class: compile first (test-compile)");
            }
            int newest = released.newest(type).map(SchemaVersion::number).orElse(0);
            if (!gate.isReleased(type)) {
                newest++;
                Path file = history.fileOf(type, newest);
                Files.createDirectories(file.getParent());
                // From the source file rather than the class: no Java-only properties in the published history.
                Files.writeString(file, SchemaFormatter.format("json/pretty", source) + "\n", StandardOpenOption.CREATE_NEW);
                System.out.println("released " + type + " v" + newest + ": " + file);
            }
            problems.addAll(writeFixtureIfMissing(type, newest));
        }
        return problems;
    }

    private List<String> writeFixtureIfMissing(String type, int version) throws IOException {
        GoldenFixture fixture = new GoldenFixture(type, version);
        if (Files.exists(goldenDir.resolve(type).resolve("v" + version + ".bin"))) {
            return List.of();
        }
        SpecificRecord sample = GoldenSamples.of(type).orElse(null);
        if (sample == null) {
            return List.of(type + " has no sample in GoldenSamples: add one, then run this again");
        }
        fixture.write(goldenDir, sample);
        System.out.println("wrote golden fixture " + fixture.bytesResource() + " and " + fixture.jsonResource());
        return List.of();
    }
}
