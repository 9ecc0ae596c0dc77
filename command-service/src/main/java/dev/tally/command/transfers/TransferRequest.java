package dev.tally.command.transfers;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Body of {@code POST /transfers}. {@code twoPhase} and {@code expiresIn} are left out of the
 * request's hash when absent, so a one-phase request hashes as it did before they existed.
 */
public record TransferRequest(String transferId, String fromAccountId, String toAccountId, String amount,
                              String reference, Map<String, String> metadata,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Boolean twoPhase,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String expiresIn) {

    public TransferRequest(String transferId, String fromAccountId, String toAccountId, String amount,
                           String reference, Map<String, String> metadata) {
        this(transferId, fromAccountId, toAccountId, amount, reference, metadata, null, null);
    }
}
