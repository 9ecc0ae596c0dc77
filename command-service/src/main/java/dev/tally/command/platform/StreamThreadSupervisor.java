package dev.tally.command.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

/**
 * What happens when a stream thread dies (Quarkus hands this bean to Kafka Streams). A transient
 * failure should not take the write model down, so the thread is replaced; the same failure over
 * and over (a command the code cannot process) would only loop, so past a few deaths in a window
 * the client shuts down, Kafka Streams reports ERROR and {@link WriteModelLiveness} goes DOWN.
 * Either way the log says why. Exactly-once keeps both paths safe: the dead thread's open
 * transaction is aborted and its partitions are processed again from the last commit.
 */
@ApplicationScoped
public class StreamThreadSupervisor implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = Logger.getLogger(StreamThreadSupervisor.class);
    static final int MAX_REPLACEMENTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final Deque<Instant> recentDeaths = new ArrayDeque<>();

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Instant now = Instant.now();
        while (!recentDeaths.isEmpty() && recentDeaths.peekFirst().isBefore(now.minus(WINDOW))) {
            recentDeaths.removeFirst();
        }
        recentDeaths.addLast(now);
        if (recentDeaths.size() > MAX_REPLACEMENTS) {
            LOG.errorf(exception, "A write-model stream thread died for the %d%s time within %s: shutting the "
                    + "write model down (liveness DOWN)", recentDeaths.size(), "th", WINDOW);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.errorf(exception, "A write-model stream thread died; replacing it (%d of %d within %s)",
                recentDeaths.size(), MAX_REPLACEMENTS, WINDOW);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
