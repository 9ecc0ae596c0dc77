package dev.tally.projection.runner;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a running projection reports about itself: status, position and lag per partition, and a
 * recent events-per-second rate. Written by the runner thread, read by HTTP and health checks.
 */
public final class ProjectionProgress {

    public enum Status { STARTING, LIVE, REBUILDING, FAILED }

    private static final long WINDOW_NANOS = 5_000_000_000L;

    private final String name;
    private final MeterRegistry metrics;
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lags = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lastAppliedEventMillis = new ConcurrentHashMap<>();
    private volatile Status status = Status.STARTING;
    private volatile String lastError;
    private long windowStart = System.nanoTime();
    private long windowCount;
    private volatile double eventsPerSecond;
    private volatile long applied;

    ProjectionProgress(String name, MeterRegistry metrics) {
        this.name = name;
        this.metrics = metrics;
        Gauge.builder("tally.projection.events.per.second", this, ProjectionProgress::eventsPerSecond)
                .tag("projection", name).register(metrics);
        Gauge.builder("tally.projection.applied", this, p -> p.applied).tag("projection", name)
                .description("events applied since start").register(metrics);
        Gauge.builder("tally.projection.failed", this, p -> p.status == Status.FAILED ? 1 : 0).tag("projection", name)
                .register(metrics);
    }

    /** Per-partition gauges, registered the first time this instance is assigned the partition. */
    private void watch(int partition) {
        if (lags.containsKey(partition)) {
            return;
        }
        String p = String.valueOf(partition);
        Gauge.builder("tally.projection.lag.events", this, self -> self.lags.getOrDefault(partition, 0L))
                .tags("projection", name, "partition", p).description("events not yet applied").register(metrics);
        Gauge.builder("tally.projection.lag.seconds", this, self -> self.lagSeconds(partition))
                .tags("projection", name, "partition", p)
                .description("age of the last applied event while events wait, else 0").register(metrics);
    }

    /** How far behind in time: while events wait, the age of the last one applied; when caught up, zero. */
    public double lagSeconds(int partition) {
        Long last = lastAppliedEventMillis.get(partition);
        if (lags.getOrDefault(partition, 0L) == 0 || last == null) {
            return 0;
        }
        return Math.max(0, (System.currentTimeMillis() - last) / 1000.0);
    }

    void appliedUpTo(int partition, long eventTimestampMillis) {
        lastAppliedEventMillis.merge(partition, eventTimestampMillis, Math::max);
    }

    synchronized void applied(int events, Map<Integer, Long> nextOffsets) {
        positions.putAll(nextOffsets);
        applied += events;
        windowCount += events;
        status = Status.LIVE;
        lastError = null;
        roll();
    }

    /** An empty poll: caught up, but only once partitions are assigned (before that, nothing is known). */
    synchronized void idle() {
        if ((status == Status.STARTING || status == Status.FAILED) && !positions.isEmpty()) {
            status = Status.LIVE;
        }
        roll();
    }

    void lag(int partition, long lag) {
        watch(partition);
        lags.put(partition, lag);
    }

    void positioned(int partition, long nextOffset) {
        positions.put(partition, nextOffset);
    }

    void revoked(int partition) {
        positions.remove(partition);
        lags.remove(partition);
    }

    void failed(String error) {
        status = Status.FAILED;
        lastError = error;
    }

    private void roll() {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            eventsPerSecond = windowCount * 1e9 / (now - windowStart);
            windowStart = now;
            windowCount = 0;
        }
    }

    public String name() {
        return name;
    }

    public Status status() {
        return status;
    }

    public String lastError() {
        return lastError;
    }

    public long appliedSinceStart() {
        return applied;
    }

    public double eventsPerSecond() {
        return eventsPerSecond;
    }

    public long lag() {
        return lags.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Events read so far over all partitions this instance owns (the sum of next offsets). */
    public long position() {
        return positions.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<Integer, Long> positions() {
        return new TreeMap<>(positions);
    }

    public Map<Integer, Long> lags() {
        return new TreeMap<>(lags);
    }
}
