package dev.tally.command.accounts;

import java.util.Map;

/** Body of {@code POST /accounts}. */
public record OpenAccountRequest(String accountId, String owner, String currency, String overdraftLimit,
                                 Map<String, String> metadata) {
}
