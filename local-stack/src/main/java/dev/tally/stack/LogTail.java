package dev.tally.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a child's log, to put into an error message instead of "see the log". */
final class LogTail {

    // Enough for 40 long lines (stack traces included) without reading a log of gigabytes.
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    static String lastLines(Path logFile, int lines) {
        if (!Files.isRegularFile(logFile)) {
            return "(no log at " + logFile + ")";
        }
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, file.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** A message that ends with the log's tail, in the shape every start failure uses. */
    static String withTail(String message, Path logFile) {
        return message + System.lineSeparator() + "--- last 40 lines of " + logFile + " ---" + System.lineSeparator()
                + lastLines(logFile, 40);
    }
}
