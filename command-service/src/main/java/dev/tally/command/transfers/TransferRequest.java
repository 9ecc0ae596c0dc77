package dev.tally.command.transfers;

import java.util.Map;

/** Body of {@code POST /transfers}. */
public record TransferRequest(String transferId, String fromAccountId, String toAccountId, String amount,
                              String reference, Map<String, String> metadata) {
}
