package dev.tally.command.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per principal: each may send {@code perSecond} commands a second on average and
 * {@code burst} at once. Kept in memory per instance, so the limit a principal meets is per
 * command-service instance; that bounds what one runaway client can do to the write model without a
 * shared store on every command's path.
 */
public final class CommandRateLimits {

    /** What the limiter decided: go ahead, or wait this many whole seconds before trying again. */
    public record Verdict(boolean allowed, long retryAfterSeconds) {
    }

    private static final int MAX_TRACKED = 100_000;

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public CommandRateLimits(double perSecond, double burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("the command rate limit needs a rate > 0 and a burst >= 1, got "
                    + perSecond + "/s and " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    public Verdict take(String principal) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            // Full buckets carry no information: dropping them forgets nobody's debt.
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(principal, p -> new Bucket(now)).take(now);
    }

    private final class Bucket {
        private double tokens = burst;
        private long updatedAt;

        Bucket(long now) {
            this.updatedAt = now;
        }

        synchronized Verdict take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return new Verdict(true, 0);
            }
            long waitSeconds = (long) Math.ceil((1 - tokens) / perSecond);
            return new Verdict(false, Math.max(1, waitSeconds));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updatedAt) / 1e9 * perSecond);
            updatedAt = now;
        }
    }
}
