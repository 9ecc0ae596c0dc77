package dev.tally.projection.reconciliation;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one reconciliation run: OK only when no check found a mismatch. {@code mode} says
 * what was read: {@value #FULL} (the tables summed, and the running totals checked against them) or
 * {@value #TOTALS} (the running totals the projections keep: the scheduled run between full ones).
 */
public record ReconciliationReport(String status, String mode, Instant checkedAt, List<Check> checks) {

    public static final String FULL = "full";
    public static final String TOTALS = "totals";

    public enum Outcome { OK, MISMATCH, SKIPPED }

    /** One invariant; {@code mismatches} names at most a handful of offenders. */
    public record Check(String name, String description, Outcome outcome, List<String> mismatches) {
    }

    static ReconciliationReport of(String mode, Instant at, List<Check> checks) {
        boolean bad = checks.stream().anyMatch(c -> c.outcome() == Outcome.MISMATCH);
        return new ReconciliationReport(bad ? "MISMATCH" : "OK", mode, at, List.copyOf(checks));
    }

    public long mismatchCount() {
        return checks.stream().mapToLong(c -> c.mismatches().size()).sum();
    }
}
