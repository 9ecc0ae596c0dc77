package dev.tally.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Deletes the data directory for {@code ./run --fresh}, and refuses to delete anything it did not make. */
final class DataDirectory {

    // What a stack writes at the top of its data directory; anything else means TALLY_DATA_DIR points
    // somewhere it should not, and a recursive delete there would destroy someone's files.
    private static final Set<String> OURS = Set.of("kafka", "postgres", "postgres.log", "logs", "pids", "command-service");

    private DataDirectory() {
    }

    static void deleteForFreshStart(StackSettings settings) {
        Path dir = settings.dataDir();
        if (!Files.exists(dir)) {
            return;
        }
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        if (dir.getParent() == null || dir.equals(home) || settings.repositoryRoot().startsWith(dir)) {
            throw new StartupFailedException("refusing to delete " + dir + " for --fresh; point " + StackSettings.DATA_DIR_VARIABLE + " at a directory of its own");
        }
        try (Stream<Path> children = Files.list(dir)) {
            List<String> foreign = children.map(child -> child.getFileName().toString()).filter(name -> !OURS.contains(name)).sorted().toList();
            if (!foreign.isEmpty()) {
                throw new StartupFailedException("refusing to delete " + dir + " for --fresh: it holds " + foreign
                        + ", which the local stack did not create");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new StartupFailedException("could not delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
