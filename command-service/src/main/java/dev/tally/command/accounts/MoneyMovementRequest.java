package dev.tally.command.accounts;

import java.util.Map;

/** Body of a deposit or a withdrawal. */
public record MoneyMovementRequest(String amount, String reference, Map<String, String> metadata) {
}
