package dev.tally.projection.rebuild;

import java.time.Instant;

/** What a rebuild reports while it runs: how far, how fast, how long still. */
public record RebuildProgress(String projection, String status, long applied, long position, long lag,
                              double eventsPerSecond, Double etaSeconds, Instant startedAt, Instant finishedAt,
                              String error) {

    /** Whether a rebuild with this status has yet to end. */
    public static boolean isRunning(String status) {
        return !status.equals("DONE") && !status.equals("FAILED");
    }
}
