package dev.tally.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Every released writer schema of every event type, oldest first. The files live in
 * {@code src/main/avro-history/<Type>/v<N>.avsc} and ship in the jar under
 * {@code avro/history/}; each one is standalone (it inlines {@code EventMeta}) so that any Avro
 * library can parse it on its own, and so that each version keeps the {@code EventMeta} it had.
 */
public final class SchemaHistory {

    /** Where the history lives on the classpath. */
    public static final String RESOURCE_ROOT = "avro/history/";

    private final Map<String, List<SchemaVersion>> versionsByType;

    private SchemaHistory(Collection<SchemaVersion> versions) {
        this.versionsByType = versions.stream()
                .sorted(Comparator.comparingInt(SchemaVersion::number))
                .collect(Collectors.groupingBy(SchemaVersion::type, LinkedHashMap::new,
                        Collectors.toUnmodifiableList()));
    }

    /** The history shipped with this jar, for every current event type. Parsed once. */
    public static SchemaHistory shipped() {
        return Shipped.HISTORY;
    }

    /**
     * Reads {@code v1.avsc}, {@code v2.avsc} … of each type until the first missing number. The
     * build's compatibility gate checks that the source folders have no gaps and no strays.
     */
    public static SchemaHistory load(ClassLoader classLoader, Collection<String> typeNames) {
        List<SchemaVersion> versions = new ArrayList<>();
        for (String type : typeNames) {
            for (int number = 1; ; number++) {
                Optional<Schema> schema = read(classLoader, resourceName(type, number));
                if (schema.isEmpty()) {
                    break;
                }
                versions.add(new SchemaVersion(type, number, schema.get()));
            }
        }
        return new SchemaHistory(versions);
    }

    /** A history made of the given versions; for tests and tools that simulate other releases. */
    public static SchemaHistory of(Collection<SchemaVersion> versions) {
        return new SchemaHistory(versions);
    }

    public static String resourceName(String type, int number) {
        return RESOURCE_ROOT + type + "/v" + number + ".avsc";
    }

    /** Oldest first; empty for a type that was never released. */
    public List<SchemaVersion> versionsOf(String type) {
        return versionsByType.getOrDefault(type, List.of());
    }

    public Optional<SchemaVersion> newest(String type) {
        List<SchemaVersion> versions = versionsOf(type);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.getLast());
    }

    public List<SchemaVersion> all() {
        return versionsByType.values().stream().flatMap(List::stream).toList();
    }

    private static Optional<Schema> read(ClassLoader classLoader, String resource) {
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            // A parser per file: every version defines its own EventMeta, which one parser would refuse twice.
            return in == null ? Optional.empty() : Optional.of(new Schema.Parser().parse(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    /** Lazy holder: the history is parsed on first use, then shared (it is immutable). */
    private static final class Shipped {
        static final SchemaHistory HISTORY = load(SchemaHistory.class.getClassLoader(),
                EventTypes.CURRENT.stream().map(Schema::getName).toList());
    }
}
