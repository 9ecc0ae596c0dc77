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

    /** A transfer as POST /transfers sends it: addressed to its id, without an Idempotency-Key. */
    static CommandMessage transfer(String commandId, String transferId, String from, String to, String amount) {
        return transfer(commandId, transferId, from, to, amount, null);
    }

    static CommandMessage transfer(String commandId, String transferId, String from, String to, String amount,
                                   String idempotencyKey) {
        return CommandMessage.requestTransfer(new AccountCommand.SendTransfer(ctx(commandId, from), transferId, to,
                amount, null, Map.of(), null), idempotencyKey, "hash-" + transferId + from + to + amount);
    }

    /** The same, from a customer confined to {@code owner}'s accounts. */
    static CommandMessage transferAs(String owner, String commandId, String transferId, String from, String to,
                                     String amount) {
        CommandContext confined = CommandContext.direct(commandId, from, T0, owner, commandId, null, owner);
        return CommandMessage.requestTransfer(new AccountCommand.SendTransfer(confined, transferId, to, amount, null,
                Map.of(), null), null, "hash-" + transferId + from + to + amount);
    }

    static CommandMessage withKey(CommandMessage message, String key, String hash) {
        return new CommandMessage(message.type(), message.commandId(), message.accountId(), message.issuedAt(),
                message.actor(), message.correlationId(), message.causationId(), message.expectedVersion(),
                message.replyTo(), key, hash, message.body(), message.confinedToOwner());
    }

    /** A hold as POST /accounts/{id}/holds sends it: its request hash always set. */
    static CommandMessage placeHold(String commandId, String accountId, String holdId, String amount,
                                    java.time.Duration expiresIn) {
        return CommandMessage.from(new AccountCommand.PlaceHold(ctx(commandId, accountId), holdId, amount,
                T0.plus(expiresIn), null, Map.of(), null), null, "hash-" + holdId + amount + expiresIn);
    }

    static CommandMessage captureHold(String commandId, String accountId, String holdId, String amount) {
        return CommandMessage.from(new AccountCommand.CaptureHold(ctx(commandId, accountId), holdId, amount, commandId,
                null), null, null);
    }

    static CommandMessage releaseHold(String commandId, String accountId, String holdId) {
        return CommandMessage.from(new AccountCommand.ReleaseHold(ctx(commandId, accountId), holdId, null, null), null,
                null);
    }

    /** A two-phase transfer as POST /transfers sends it, reserving for {@code expiresIn} from T0. */
    static CommandMessage reserve(String commandId, String transferId, String from, String to, String amount,
                                  java.time.Duration expiresIn) {
        return CommandMessage.requestTransfer(new AccountCommand.ReserveTransfer(ctx(commandId, from), transferId, to,
                amount, T0.plus(expiresIn), "invoice", Map.of("order", "o-1"), null), null,
                "hash-2p-" + transferId + from + to + amount);
    }

    /** POST /transfers/{id}/post at {@code at} ({@code amount} null: all of it). */
    static CommandMessage post(String commandId, String transferId, String amount, Instant at) {
        return CommandMessage.requestResolution(true, transferId, amount,
                CommandContext.direct(commandId, null, at, "teller", commandId, null));
    }

    static CommandMessage post(String commandId, String transferId, String amount) {
        return post(commandId, transferId, amount, T0);
    }

    /** POST /transfers/{id}/void. */
    static CommandMessage voidTransfer(String commandId, String transferId, String reason) {
        return CommandMessage.requestResolution(false, transferId, reason,
                CommandContext.direct(commandId, null, T0, "teller", commandId, null));
    }

    /** A post from a customer confined to {@code owner}'s accounts. */
    static CommandMessage postAs(String owner, String commandId, String transferId) {
        return CommandMessage.requestResolution(true, transferId, null,
                CommandContext.direct(commandId, null, T0, owner, commandId, null, owner));
    }

    static CommandMessage freeze(String commandId, String accountId) {
        return CommandMessage.from(new AccountCommand.FreezeAccount(ctx(commandId, accountId), "review"), null, null);
    }

    /** POST /transfers/{id}/reverse ({@code amount} null: all that is left). */
    static CommandMessage reverse(String commandId, String transferId, String reversalId, String amount) {
        return CommandMessage.requestReversal(transferId, reversalId, amount, "refund",
                CommandContext.direct(commandId, null, T0, "teller", commandId, null), null);
    }

    /** POST /accounts/{id}/deposits/{tx}/reverse (or withdrawals), {@code amount} null: all that is left. */
    static CommandMessage reverseMovement(String commandId, String accountId, boolean deposit, String original,
                                          String amount) {
        return CommandMessage.from(new AccountCommand.ReverseMovement(ctx(commandId, accountId), deposit
                ? dev.tally.command.ledger.Movement.Kind.DEPOSIT : dev.tally.command.ledger.Movement.Kind.WITHDRAWAL,
                original, amount, "correction", commandId, null), null, null);
    }
}
