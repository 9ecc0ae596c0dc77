package dev.tally.schemas.evolution;

import dev.tally.schemas.SchemaVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The schema history as it sits in the source tree ({@code <root>/<Type>/v<N>.avsc}). The classpath
 * can only be asked for names it is given, so strays, gaps and removed types are found here.
 */
record HistoryFolders(Path root) {

    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");

    /** The history of the module the tests run in (Surefire runs them with the module as working directory). */
    static HistoryFolders ofThisModule() {
        return new HistoryFolders(Path.of(System.getProperty("basedir", "."), "src", "main", "avro-history"));
    }

    TreeSet<String> typeNames() {
        try (Stream<Path> entries = list(root)) {
            return entries.filter(Files::isDirectory).map(dir -> dir.getFileName().toString())
                    .collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
        }
    }

    /** Files that are not {@code v<N>.avsc} inside a type folder, and numbers that skip one. */
    List<String> layoutProblems() {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> entries = list(root)) {
            entries.filter(Files::isRegularFile)
                    .forEach(file -> problems.add(file + " is outside a type folder"));
        }
        for (String type : typeNames()) {
            TreeMap<Integer, Path> versions = new TreeMap<>();
            try (Stream<Path> files = list(root.resolve(type))) {
                files.forEach(file -> {
                    Matcher name = VERSION_FILE.matcher(file.getFileName().toString());
                    if (name.matches()) {
                        versions.put(Integer.parseInt(name.group(1)), file);
                    } else {
                        problems.add(file + " is not named v<N>.avsc");
                    }
                });
            }
            if (!versions.isEmpty() && versions.lastKey() != versions.size()) {
                problems.add(type + " has versions " + versions.keySet() + ": they must count 1, 2, 3 … without gaps");
            }
        }
        return problems;
    }

    /** Every version file, each parsed on its own (which also proves each one is standalone). */
    List<SchemaVersion> read() {
        List<SchemaVersion> versions = new ArrayList<>();
        for (String type : typeNames()) {
            try (Stream<Path> files = list(root.resolve(type))) {
                for (Path file : files.toList()) {
                    Matcher name = VERSION_FILE.matcher(file.getFileName().toString());
                    if (name.matches()) {
                        versions.add(new SchemaVersion(type, Integer.parseInt(name.group(1)), parse(file)));
                    }
                }
            }
        }
        return versions;
    }

    Path fileOf(String type, int number) {
        return root.resolve(type).resolve("v" + number + ".avsc");
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + " does not parse on its own: " + e.getMessage(), e);
        }
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
