package dev.tally.projection.webhooks;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: exponential backoff from {@code first}, doubling per
 * attempt up to {@code most}, each wait spread by ±25 % jitter so that a receiver coming back is
 * not hit by every retry at the same instant.
 */
public record RetrySchedule(Duration first, Duration most) {

    public RetrySchedule {
        if (first.isNegative() || first.isZero() || most.compareTo(first) < 0) {
            throw new IllegalArgumentException("retry backoff: first > 0 and most >= first, got " + first + " and " + most);
        }
    }

    /**
     * @param failedAttempts attempts made so far, all failed (1 after the first)
     * @param random         uniform in [0, 1)
     */
    public Duration after(int failedAttempts, DoubleSupplier random) {
        long millis = first.toMillis();
        for (int i = 1; i < failedAttempts && millis < most.toMillis(); i++) {
            millis *= 2;
        }
        millis = Math.min(millis, most.toMillis());
        double spread = 0.75 + 0.5 * random.getAsDouble();
        return Duration.ofMillis(Math.max(1, Math.round(millis * spread)));
    }
}
