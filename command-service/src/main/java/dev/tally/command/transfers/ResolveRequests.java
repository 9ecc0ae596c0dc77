package dev.tally.command.transfers;

/** Bodies of {@code POST /transfers/{id}/post} and {@code /void}. */
public final class ResolveRequests {

    private ResolveRequests() {
    }

    /** @param amount how much of the reservation to move; absent: all of it */
    public record PostRequest(String amount) {
    }

    public record VoidRequest(String reason) {
    }
}
