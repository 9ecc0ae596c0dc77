package dev.tally.command.accounts;

import dev.tally.problems.Problem;
import dev.tally.problems.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A request's {@code expiresIn} (holds, two-phase transfers): an ISO-8601 duration, positive and at
 * most the configured maximum, or the default when absent. Anything else is a 400 naming the field.
 */
public record ExpiresIn(Duration defaultExpiry, Duration maxExpiry) {

    public Duration parse(String text) {
        if (text == null) {
            return defaultExpiry;
        }
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new ProblemException(Problem.invalid("expiresIn", "must be an ISO-8601 duration such as PT15M or P7D"));
        }
        // Under a millisecond would truncate to "now" (expiries are kept in whole milliseconds).
        if (duration.compareTo(Duration.ofMillis(1)) < 0 || duration.compareTo(maxExpiry) > 0) {
            throw new ProblemException(Problem.invalid("expiresIn", "must be at least PT0.001S and at most " + maxExpiry));
        }
        return duration;
    }

    /**
     * When something asked for at {@code now} expires, in whole milliseconds: the events keep
     * microseconds and the expiry index milliseconds, so the expiry reads the same in the answer, on
     * the log and in the index.
     */
    public Instant expiresAt(Instant now, String text) {
        return now.plus(parse(text)).truncatedTo(ChronoUnit.MILLIS);
    }
}
