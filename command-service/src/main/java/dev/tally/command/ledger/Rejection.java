package dev.tally.command.ledger;

/**
 * Why the ledger said no. The code is the stable, machine-readable name API.md lists; the field is
 * set for {@code validation} rejections so the client knows what to fix (the detail then
 * speaks of that field).
 */
public record Rejection(String code, String detail, String field) {

    public static Rejection validation(String field, String detail) {
        return new Rejection("validation", detail, field);
    }

    public static Rejection of(String code, String detail) {
        return new Rejection(code, detail, null);
    }
}
