package dev.tally.query.platform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Query parameters parsed strictly: a malformed one is a 400 problem, never a silent default. */
public final class QueryParams {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private QueryParams() {
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
        throw invalid("limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    public static Instant instant(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO-8601 instant such as 2026-11-23T10:15:30Z");
        }
    }

    public static LocalDate date(String name, String text) {
        if (text == null) {
            throw invalid(name + " is required (an ISO date such as 2026-11-23)");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO date such as 2026-11-23");
        }
    }

    public static ProblemException invalid(String detail) {
        return new ProblemException(Problem.of(400, "validation", detail));
    }
}
