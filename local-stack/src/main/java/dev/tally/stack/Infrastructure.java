package dev.tally.stack;

import java.util.function.Consumer;

/**
 * Kafka and PostgreSQL that the stack did not start itself (containers, say): the stack only creates
 * the topics on it and points the services at it. Without one, {@link LocalStack} starts its own
 * embedded broker and database, as {@code ./run} does.
 */
public interface Infrastructure extends AutoCloseable {

    /** Reachable from this machine: the services run here as processes. */
    String bootstrapServers();

    String jdbcUrl();

    String postgresUser();

    String postgresPassword();

    /** One line for progress reports and errors: what runs where. */
    String description();

    /** Stops whatever this infrastructure started; called once, after the services are gone. */
    @Override
    void close();

    /** Starts an infrastructure for a stack: its log files may go under {@code settings.dataDir()/logs}. */
    @FunctionalInterface
    interface Starter {
        Infrastructure start(StackSettings settings, Consumer<String> progress);
    }
}
