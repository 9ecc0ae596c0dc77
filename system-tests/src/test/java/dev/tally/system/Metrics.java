package dev.tally.system;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one value out of a Prometheus text exposition, as a scraper would. */
final class Metrics {

    private Metrics() {
    }

    /** The value of {@code name} for {@code projection="…"}; fails when the series is missing. */
    static double value(String exposition, String name, String projection) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*projection=\"" + Pattern.quote(projection)
                + "\"[^}]*\\} (\\S+)$").matcher(exposition);
        if (!line.find()) {
            throw new AssertionError("no " + name + "{projection=\"" + projection + "\"} in /q/metrics");
        }
        return Double.parseDouble(line.group(1));
    }
}
