package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.ledger.AccountCommand.DepositFunds;
import dev.tally.command.ledger.AccountCommand.OpenAccount;
import dev.tally.command.ledger.AccountCommand.WithdrawFunds;
import dev.tally.command.ledger.CommandContext;
import java.time.Instant;
import java.util.Map;

/**
 * A command as it travels on {@code tally.ledger.commands}: one flat JSON shape for every type, so
 * the topic stays readable with a console consumer. {@code PING} is the warm-up probe: it touches
 * no account and is only answered.
 */
public record CommandMessage(Type type, String commandId, String accountId, Instant issuedAt, String actor,
                             String correlationId, String owner, String currency, String overdraftLimit,
                             String transactionId, String amount, String reference, Map<String, String> metadata) {

    public enum Type { OPEN_ACCOUNT, DEPOSIT, WITHDRAW, PING }

    public CommandMessage {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static CommandMessage ping(String commandId, Instant at) {
        return new CommandMessage(Type.PING, commandId, null, at, "system", commandId,
                null, null, null, null, null, null, Map.of());
    }

    public static CommandMessage from(AccountCommand command) {
        CommandContext c = command.context();
        return switch (command) {
            case OpenAccount open -> new CommandMessage(Type.OPEN_ACCOUNT, c.commandId(), c.accountId(), c.issuedAt(),
                    c.actor(), c.correlationId(), open.owner(), open.currency(), open.overdraftLimit(),
                    null, null, null, open.metadata());
            case DepositFunds deposit -> new CommandMessage(Type.DEPOSIT, c.commandId(), c.accountId(), c.issuedAt(),
                    c.actor(), c.correlationId(), null, null, null,
                    deposit.transactionId(), deposit.amount(), deposit.reference(), deposit.metadata());
            case WithdrawFunds withdrawal -> new CommandMessage(Type.WITHDRAW, c.commandId(), c.accountId(),
                    c.issuedAt(), c.actor(), c.correlationId(), null, null, null,
                    withdrawal.transactionId(), withdrawal.amount(), withdrawal.reference(), withdrawal.metadata());
        };
    }

    /** The domain command; not defined for {@link Type#PING}. */
    public AccountCommand toCommand() {
        CommandContext context = new CommandContext(commandId, accountId, issuedAt, actor, correlationId);
        return switch (type) {
            case OPEN_ACCOUNT -> new OpenAccount(context, owner, currency, overdraftLimit, metadata);
            case DEPOSIT -> new DepositFunds(context, transactionId, amount, reference, metadata);
            case WITHDRAW -> new WithdrawFunds(context, transactionId, amount, reference, metadata);
            case PING -> throw new IllegalStateException("A ping is not an account command");
        };
    }
}
