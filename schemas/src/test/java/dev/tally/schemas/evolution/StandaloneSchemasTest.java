package dev.tally.schemas.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.schemas.EventTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * {@code schemas/standalone/<Type>.avsc} are the current schemas with {@code EventMeta} inlined, so
 * that any Avro library parses each file on its own (the sources in {@code src/main/avro} refer to
 * {@code EventMeta} by name). The build writes them from the sources into
 * {@code target/standalone/}; the checked-in copies must be those bytes. After changing a source
 * schema, write them again with {@code ./mvnw -pl schemas test -Dtest=StandaloneSchemasTest
 * -Dtally.standalone.write=true}.
 */
class StandaloneSchemasTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path CHECKED_IN = MODULE.resolve("standalone");
    private static final Path GENERATED = MODULE.resolve("target").resolve("standalone");

    @Test
    void the_checked_in_standalone_schemas_are_what_the_build_generates_from_the_sources() throws IOException {
        SourceSchemas sources = SourceSchemas.parse(MODULE.resolve("src/main/avro"));
        Files.createDirectories(GENERATED);
        boolean write = Boolean.getBoolean("tally.standalone.write");
        if (write) {
            Files.createDirectories(CHECKED_IN);
        }
        List<String> problems = new ArrayList<>();
        for (Schema current : EventTypes.CURRENT) {
            String type = current.getName();
            String generated = SchemaFormatter.format("json/pretty", sources.of(type)) + "\n";
            Files.writeString(GENERATED.resolve(type + ".avsc"), generated);
            Path file = CHECKED_IN.resolve(type + ".avsc");
            if (write) {
                Files.writeString(file, generated);
            } else if (!Files.exists(file) || !Files.readString(file).equals(generated)) {
                problems.add("schemas/standalone/" + type + ".avsc " + (Files.exists(file) ? "differs from" : "is missing;")
                        + " target/standalone/" + type + ".avsc (the source with EventMeta inlined)");
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems) + "\nWrite them again with: ./mvnw -pl schemas "
                + "test -Dtest=StandaloneSchemasTest -Dtally.standalone.write=true");
    }

    @Test
    void each_parses_alone_with_a_plain_parser_into_the_schema_the_code_writes() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> listed = Files.list(CHECKED_IN)) {
            listed.forEach(file -> files.add(file.getFileName().toString()));
        }
        Set<String> expected = new TreeSet<>(EventTypes.CURRENT.stream().map(s -> s.getName() + ".avsc").toList());
        assertEquals(expected, files, "one file per current event type, nothing else");
        for (Schema current : EventTypes.CURRENT) {
            Schema alone = new Schema.Parser().parse(CHECKED_IN.resolve(current.getName() + ".avsc").toFile());
            assertEquals(SchemaNormalization.parsingFingerprint64(current), SchemaNormalization.parsingFingerprint64(alone),
                    current.getName() + ": the standalone file is not the schema the serializer writes with");
        }
    }
}
