package dev.tally.replay;

import java.util.Map;

/**
 * What a replay found: the first event today's code cannot handle (with where it sits in the log
 * and at which stage it failed), or a summary of everything it read.
 */
public record ReplayReport(boolean ok, Failure failure, long events, long accounts, Map<String, Long> eventsPerType,
                           Map<String, Long> eventsPerVersion, long millis) {

    /**
     * Where replay broke: stage is decode, evolve, the name of the projection, or (partition and
     * offset -1: after the whole log) the invariant the read models broke.
     */
    public record Failure(int partition, long offset, String key, String stage, String error) {
    }

    public String describe() {
        if (!ok && failure.offset() < 0) {
            return "replay-check: FAILED after %d events: %s: %s".formatted(events, failure.stage(), failure.error());
        }
        if (!ok) {
            return "replay-check: FAILED at partition %d offset %d (key %s) in %s: %s".formatted(failure.partition(),
                    failure.offset(), failure.key(), failure.stage(), failure.error());
        }
        StringBuilder text = new StringBuilder("replay-check: OK, %d events of %d accounts in %.1f s (%.0f events/s)%n"
                .formatted(events, accounts, millis / 1000.0, millis == 0 ? 0.0 : events * 1000.0 / millis));
        eventsPerVersion.forEach((type, count) -> text.append("  %-28s %8d%n".formatted(type, count)));
        return text.toString();
    }
}
