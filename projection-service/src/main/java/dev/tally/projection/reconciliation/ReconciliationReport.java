package dev.tally.projection.reconciliation;

import java.time.Instant;
import java.util.List;

/** The outcome of one reconciliation run: OK only when no check found a mismatch. */
public record ReconciliationReport(String status, Instant checkedAt, List<Check> checks) {

    public enum Outcome { OK, MISMATCH, SKIPPED }

    /** One invariant; {@code mismatches} names at most a handful of offenders. */
    public record Check(String name, String description, Outcome outcome, List<String> mismatches) {
    }

    static ReconciliationReport of(Instant at, List<Check> checks) {
        boolean bad = checks.stream().anyMatch(c -> c.outcome() == Outcome.MISMATCH);
        return new ReconciliationReport(bad ? "MISMATCH" : "OK", at, List.copyOf(checks));
    }

    public long mismatchCount() {
        return checks.stream().mapToLong(c -> c.mismatches().size()).sum();
    }
}
