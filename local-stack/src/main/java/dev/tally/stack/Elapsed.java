package dev.tally.stack;

import java.util.Locale;

/** "2.1 s": how progress lines show durations. */
final class Elapsed {

    private Elapsed() {
    }

    static String since(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
