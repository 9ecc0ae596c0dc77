package dev.tally.schemas.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The current schemas as written in {@code src/main/avro}, parsed the way the code generator
 * parses them ({@code EventMeta} first, since the event schemas refer to it by name). Unlike the
 * generated classes' schemas they carry no Java-only properties, which is what history files want.
 */
final class SourceSchemas {

    private final Map<String, Schema> byName = new HashMap<>();

    private SourceSchemas() {
    }

    static SourceSchemas parse(Path sourceDir) {
        SourceSchemas schemas = new SourceSchemas();
        Schema.Parser parser = new Schema.Parser();
        try (Stream<Path> files = Files.list(sourceDir)) {
            Path shared = sourceDir.resolve("EventMeta.avsc");
            schemas.add(parser.parse(shared.toFile()));
            for (Path file : files.filter(file -> file.toString().endsWith(".avsc") && !file.equals(shared)).sorted().toList()) {
                schemas.add(parser.parse(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return schemas;
    }

    Schema of(String type) {
        Schema schema = byName.get(type);
        if (schema == null) {
            throw new IllegalArgumentException("No " + type + ".avsc in the source folder");
        }
        return schema;
    }

    private void add(Schema schema) {
        byName.put(schema.getName(), schema);
    }
}
