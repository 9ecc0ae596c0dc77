package dev.tally.command.writemodel;

import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.Money;
import dev.tally.command.ledger.Rejection;
import java.time.Instant;
import java.util.List;

/**
 * The write model's answer to one command, on {@code tally.ledger.command-results} keyed by command
 * id. It is written in the same Kafka transaction as the command's events, so an accepted result is
 * visible to a read_committed reader exactly when the events are.
 */
public record CommandResult(String commandId, boolean accepted, Rejection rejection, AccountView account,
                            String transactionId, String amount, List<AppendedEvent> events) {

    public static CommandResult rejected(String commandId, Rejection rejection) {
        return new CommandResult(commandId, false, rejection, null, null, null, List.of());
    }

    /** The account as the command left it, amounts already in decimal form. */
    public record AccountView(String accountId, String owner, String currency, String balance, String overdraftLimit,
                              String status, long version, Instant openedAt, Instant updatedAt) {

        public static AccountView of(String accountId, AccountSnapshot snapshot) {
            Asset asset = new Asset(snapshot.currency(), snapshot.scale());
            return new AccountView(accountId, snapshot.owner(), snapshot.currency(),
                    Money.format(snapshot.balanceMinor(), asset), Money.format(snapshot.overdraftLimitMinor(), asset),
                    "OPEN", snapshot.version(), snapshot.openedAt(), snapshot.updatedAt());
        }
    }

    public record AppendedEvent(String eventId, String type, long sequence) {
    }
}
