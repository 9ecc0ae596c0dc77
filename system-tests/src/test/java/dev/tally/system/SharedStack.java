package dev.tally.system;

import dev.tally.stack.LocalStack;
import dev.tally.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real stack (Kafka, PostgreSQL, the three packaged services) for every system test class in
 * this JVM: starting it takes ~15 s, so the classes share it and each uses its own account ids.
 * The stack stops itself when the JVM exits.
 */
final class SharedStack {

    private static LocalStack stack;

    private SharedStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            Path root = Path.of(System.getProperty("tally.repository.root", "..")).toAbsolutePath().normalize();
            try {
                // Under target/, so that mvn clean removes it; the stack itself stops when the JVM exits.
                Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "stack-");
                stack = LocalStack.start(StackSettings.onFreePorts(root, dataDir));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stack;
    }
}
