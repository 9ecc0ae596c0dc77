package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.ledger.CommandContext;
import java.time.Instant;
import java.util.Map;

/** Command messages as the HTTP edge would write them, for topology tests. */
final class TestCommands {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private TestCommands() {
    }

    static CommandContext ctx(String commandId, String accountId) {
        return CommandContext.direct(commandId, accountId, T0, "teller", commandId, null);
    }

    static CommandMessage open(String commandId, String accountId, String currency) {
        return CommandMessage.from(new AccountCommand.OpenAccount(ctx(commandId, accountId), accountId, currency, null,
                Map.of()), null, null);
    }

    static CommandMessage open(String commandId, String accountId) {
        return open(commandId, accountId, "USD");
    }

    static CommandMessage deposit(String commandId, String accountId, String amount) {
        return CommandMessage.from(new AccountCommand.DepositFunds(ctx(commandId, accountId), commandId, amount, null,
                Map.of()), null, null);
    }

    static CommandMessage withdraw(String commandId, String accountId, String amount) {
        return CommandMessage.from(new AccountCommand.WithdrawFunds(ctx(commandId, accountId), commandId, amount, null,
                Map.of()), null, null);
    }

    static CommandMessage transfer(String commandId, String transferId, String from, String to, String amount) {
        return CommandMessage.from(new AccountCommand.SendTransfer(ctx(commandId, from), transferId, to, amount, null,
                Map.of(), null), "transfer:" + transferId, "hash-" + amount);
    }

    static CommandMessage withKey(CommandMessage message, String key, String hash) {
        return new CommandMessage(message.type(), message.commandId(), message.accountId(), message.issuedAt(),
                message.actor(), message.correlationId(), message.causationId(), message.expectedVersion(),
                message.replyTo(), key, hash, message.body(), message.confinedToOwner());
    }
}
