package dev.tally.query.platform;

import dev.tally.problems.Problem;
import dev.tally.problems.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * Request parameters parsed strictly, before anything reaches SQL: a malformed one is a 400
 * {@code validation} problem naming the field, never a silent default and never a 500 (PostgreSQL
 * refuses NUL bytes in text, so one in an id must not get that far).
 */
public final class QueryParams {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** API.md's pattern for ids clients choose (accounts, transfers, holds). */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    /** Free text (owner, actor) is at most this long; nothing longer can have been stored. */
    public static final int MAX_TEXT = 200;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F]");

    private QueryParams() {
    }

    /** Whether a path id can name anything at all; one that cannot is simply not found. */
    public static boolean isId(String text) {
        return text != null && ID.matcher(text).matches();
    }

    /** An id used as a filter: absent is null, malformed is 400. */
    public static String idFilter(String name, String text) {
        if (text == null || isId(text)) {
            return text;
        }
        throw invalid(name, "must match " + ID.pattern());
    }

    /**
     * A hold id used as a cursor: a client's hold id (the id pattern), or a two-phase transfer's
     * reservation, {@code transfer/} and a transfer id; absent is null, anything else is 400.
     */
    public static String holdIdFilter(String name, String text) {
        if (text == null || isId(text) || text.startsWith("transfer/") && isId(text.substring("transfer/".length()))) {
            return text;
        }
        throw invalid(name, "must match " + ID.pattern() + ", or be transfer/ and a transfer id");
    }

    /** Free text used as a filter: Unicode without control characters, at most {@value #MAX_TEXT} chars. */
    public static String textFilter(String name, String text) {
        if (text == null) {
            return null;
        }
        if (text.isEmpty() || text.length() > MAX_TEXT || CONTROL.matcher(text).find()) {
            throw invalid(name, "must be 1 to " + MAX_TEXT + " characters without control characters");
        }
        return text;
    }

    public static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the problem
        }
        throw invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    public static Instant instant(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            Instant instant = Instant.parse(text);
            // PostgreSQL's timestamps end in the year 294276; years past 9999 are typos, not questions.
            if (!instant.isBefore(EARLIEST) && instant.isBefore(LATEST)) {
                return instant;
            }
        } catch (DateTimeParseException e) {
            // falls through to the problem
        }
        throw invalid(name, "must be an ISO-8601 instant between the years 1 and 9999, such as 2026-11-23T10:15:30Z");
    }

    /**
     * PostgreSQL keeps microseconds, and the JDBC driver rounds a parameter's nanoseconds to the
     * nearest microsecond: "as of" one nanosecond before an event would round up to the event and
     * include it. Stored instants are whole microseconds, so {@code stored <= t} holds exactly when
     * {@code stored <= floorToMicros(t)}; and {@code stored >= t} or {@code stored < t} exactly when
     * compared with {@link #ceilToMicros(Instant)}.
     */
    public static Instant floorToMicros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** The first whole microsecond at or after {@code instant}; see {@link #floorToMicros(Instant)}. */
    public static Instant ceilToMicros(Instant instant) {
        Instant floor = floorToMicros(instant);
        return floor.equals(instant) ? instant : floor.plus(1, ChronoUnit.MICROS);
    }

    public static LocalDate date(String name, String text) {
        if (text == null) {
            throw invalid(name, "is required (an ISO date such as 2026-11-23)");
        }
        try {
            LocalDate date = LocalDate.parse(text);
            if (date.getYear() >= 1 && date.getYear() <= 9999) {
                return date;
            }
        } catch (DateTimeParseException e) {
            // falls through to the problem
        }
        throw invalid(name, "must be an ISO date between the years 1 and 9999, such as 2026-11-23");
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalid(field, message));
    }
}
