package dev.tally.command.holds;

import java.util.Map;

/** The bodies of the hold endpoints. */
public final class HoldRequests {

    private HoldRequests() {
    }

    /** Body of {@code POST /accounts/{id}/holds}; {@code expiresIn} is an ISO-8601 duration such as {@code PT15M}. */
    public record PlaceHoldRequest(String holdId, String amount, String expiresIn, String reference,
                                   Map<String, String> metadata) {
    }

    /** Body of a capture: {@code amount} absent captures the whole hold. */
    public record CaptureHoldRequest(String amount) {
    }

    /** Body of a release. */
    public record ReleaseHoldRequest(String reason) {
    }
}
