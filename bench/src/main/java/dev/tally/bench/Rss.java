package dev.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resident memory of each service's process (VmRSS from /proc), sampled twice a second while the
 * suite runs, so the peak under load is seen and not only the value at the end.
 */
final class Rss implements AutoCloseable {

    private final java.util.function.Supplier<Map<String, Long>> pids;
    private final Map<String, Long> peakKb = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    /** {@code pids} is asked on every sample: a restarted service has a new one. */
    Rss(java.util.function.Supplier<Map<String, Long>> pids) {
        this.pids = pids;
        this.sampler = Thread.ofPlatform().daemon().name("bench-rss").start(() -> {
            while (running) {
                now().forEach((name, kb) -> peakKb.merge(name, kb, Math::max));
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Service → RSS in MB now; a process that is gone is left out. */
    Map<String, Long> now() {
        Map<String, Long> kb = new LinkedHashMap<>();
        pids.get().forEach((name, pid) -> read(pid).ifPresent(v -> kb.put(name, v)));
        return kb;
    }

    Map<String, Long> peaks() {
        return Map.copyOf(peakKb);
    }

    /** Forgets the peaks so far: the next phase's peak starts here. */
    void resetPeaks() {
        peakKb.clear();
    }

    static String mb(Long kb) {
        return kb == null ? "?" : "%,d MB".formatted(kb / 1024);
    }

    private static java.util.Optional<Long> read(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return java.util.Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process has exited (a restart) or /proc is not there
        }
        return java.util.Optional.empty();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
