package dev.tally.command.transfers;

/** Bodies of {@code POST /transfers/{id}/post}, {@code /void} and {@code /reverse}. */
public final class ResolveRequests {

    private ResolveRequests() {
    }

    /** @param amount how much of the reservation to move; absent: all of it */
    public record PostRequest(String amount) {
    }

    public record VoidRequest(String reason) {
    }

    /**
     * @param reversalId the new transfer's id; absent: derived from the Idempotency-Key, or fresh
     * @param amount     how much to move back; absent: all that is not reversed yet
     */
    public record ReverseRequest(String reversalId, String amount, String reason) {
    }
}
