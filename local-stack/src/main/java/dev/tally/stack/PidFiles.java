package dev.tally.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One file per child process in {@code <dataDir>/pids}, plus one for the JVM that owns the stack.
 *
 * <p>Children outlive a launcher that is killed with SIGKILL or loses its terminal; without these
 * files the next start would find its ports taken by an invisible broker. Each file holds the pid
 * and the process' start time, so a pid the system has since given to another process is never
 * mistaken for ours.
 */
final class PidFiles {

    private static final String OWNER = "owner";
    private static final String SUFFIX = ".pid";
    private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(1);

    private final Path dir;

    PidFiles(Path dataDir) {
        this.dir = dataDir.resolve("pids");
    }

    /** Fails if another live JVM runs a stack on this data directory; otherwise records this JVM as its owner. */
    void claim() {
        requireNoOtherOwner();
        record(OWNER, ProcessHandle.current());
    }

    void requireNoOtherOwner() {
        live(OWNER).filter(owner -> owner.pid() != ProcessHandle.current().pid()).ifPresent(owner -> {
            throw new StartupFailedException("another Tally stack (pid " + owner.pid() + ") is using " + dir.getParent()
                    + "; stop it first (Ctrl-C in its terminal, or kill " + owner.pid() + ")");
        });
    }

    void releaseOwnership() {
        forget(OWNER);
    }

    /** Stops every recorded child that still runs, services before the broker, and forgets them all. */
    List<String> stopLeftovers() {
        List<String> stopped = new ArrayList<>();
        List<String> names = recordedNames().stream()
                .filter(name -> !name.equals(OWNER))
                // services first: they may still be writing to the broker
                .sorted(Comparator.comparing((String name) -> name.equals("kafka")).thenComparing(Comparator.naturalOrder()))
                .toList();
        for (String name : names) {
            live(name).ifPresent(process -> {
                ProcessTree.stop(process, Duration.ofSeconds(20));
                stopped.add(name + " (pid " + process.pid() + ")");
            });
            forget(name);
        }
        return stopped;
    }

    void record(String name, ProcessHandle process) {
        long started = process.info().startInstant().map(instant -> instant.toEpochMilli()).orElse(-1L);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + SUFFIX), process.pid() + " " + started + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the pid file of " + name, e);
        }
    }

    void forget(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name + SUFFIX));
        } catch (IOException e) {
            // a stale file is harmless: its start time will not match a later process
        }
    }

    private Optional<ProcessHandle> live(String name) {
        Path file = dir.resolve(name + SUFFIX);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String[] fields = Files.readString(file).trim().split("\\s+");
            long pid = Long.parseLong(fields[0]);
            long started = fields.length > 1 ? Long.parseLong(fields[1]) : -1;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> startedAt(process, started));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean startedAt(ProcessHandle process, long expectedEpochMilli) {
        if (expectedEpochMilli < 0) {
            return false;
        }
        return process.info().startInstant()
                .map(actual -> Math.abs(actual.toEpochMilli() - expectedEpochMilli) <= START_TIME_TOLERANCE.toMillis())
                .orElse(false);
    }

    private List<String> recordedNames() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                names.add(fileName.substring(0, fileName.length() - SUFFIX.length()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir, e);
        }
        return names;
    }
}
