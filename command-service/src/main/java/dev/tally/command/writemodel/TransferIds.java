package dev.tally.command.writemodel;

import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.Money;
import dev.tally.command.ledger.Rejection;
import dev.tally.command.transfers.TransferCommand;
import dev.tally.command.transfers.TransferDecider;
import dev.tally.command.transfers.TransferDecision;
import dev.tally.command.transfers.TransferOutcome;
import dev.tally.command.transfers.TransferState;
import dev.tally.command.transfers.TransferTerms;
import dev.tally.command.writemodel.CommandResult.AppendedEvent;
import dev.tally.command.writemodel.CommandResult.TransferView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * The write model's side of the transfer aggregate: messages keyed by a transfer id land in the
 * stream task that owns that id, which runs {@link TransferDecider} against the {@code transfers}
 * store and carries the decision out (start the saga on the source, answer, remember).
 */
final class TransferIds {

    private static final Logger LOG = Logger.getLogger(TransferIds.class);

    private final KeyValueStore<String, TransferRecord> store;
    private final Consumer<CommandMessage> send;
    private final BiConsumer<String, CommandResult> reply;
    private final Function<String, String> currencyOf;

    TransferIds(KeyValueStore<String, TransferRecord> store, Consumer<CommandMessage> send,
                BiConsumer<String, CommandResult> reply, Function<String, String> currencyOf) {
        this.store = store;
        this.send = send;
        this.reply = reply;
        this.currencyOf = currencyOf;
    }

    void handle(CommandMessage message) {
        String transferId = message.body().transferId();
        TransferState state = TransferRecord.toState(store.get(transferId));
        switch (TransferDecider.decide(transferId, toCommand(message), state)) {
            case TransferDecision.Start start -> {
                store.put(transferId, TransferRecord.of(start.next()));
                send.accept(message.as(CommandMessage.Type.SEND_TRANSFER, null));
            }
            case TransferDecision.Join join -> {
                store.put(transferId, TransferRecord.of(join.next()));
                reply.accept(join.commandId(), pending(transferId, join.next(), join.commandId()));
            }
            case TransferDecision.Replay replay ->
                    reply.accept(message.commandId(), settled(transferId, replay.settled(), message.commandId()));
            case TransferDecision.Refuse refuse ->
                    reply.accept(message.commandId(), CommandResult.rejected(message.commandId(), refuse.rejection()));
            case TransferDecision.Release release -> {
                store.delete(transferId);
                release.answer().forEach(id -> reply.accept(id, CommandResult.rejected(id, release.rejection())));
            }
            case TransferDecision.Settle settle -> {
                store.put(transferId, TransferRecord.of(settle.next()));
                settle.answer().forEach(id -> reply.accept(id, settled(transferId, settle.next(), id)));
            }
            case TransferDecision.Ignore ignore ->
                    LOG.debugf("Transfer %s: %s ignored (%s)", transferId, message.type(), ignore.why());
        }
    }

    private static TransferCommand toCommand(CommandMessage message) {
        CommandMessage.Body body = message.body();
        return switch (message.type()) {
            case REQUEST_TRANSFER -> new TransferCommand.RequestTransfer(message.commandId(), terms(message),
                    message.idempotencyKey(), message.confinedToOwner(), message.issuedAt());
            case TRANSFER_REFUSED -> new TransferCommand.RecordRefusal(
                    new Rejection(body.reasonCode(), body.reasonDetail(), body.reasonField()));
            case TRANSFER_SETTLED -> new TransferCommand.RecordSettlement(terms(message), body.requestedAt(),
                    body.outcome());
            default -> throw new IllegalArgumentException(message.type() + " is not addressed to a transfer");
        };
    }

    /** The terms a transfer message asks for (the source is the message's account). */
    static TransferTerms terms(CommandMessage message) {
        CommandMessage.Body body = message.body();
        return new TransferTerms(message.accountId(), body.counterpartyAccountId(), body.amount(), body.reference(),
                body.metadata());
    }

    /** The answer to a repeated request while the money is in flight: PENDING, no token yet. */
    private CommandResult pending(String transferId, TransferState.Started started, String commandId) {
        TransferTerms terms = started.terms();
        TransferView view = new TransferView(transferId, terms.fromAccountId(), terms.toAccountId(), terms.amount(),
                currencyOf.apply(terms.fromAccountId()), "PENDING", null, null, started.requestedAt(), null);
        return new CommandResult(commandId, true, false, true, null, null, null, terms.amount(), view, List.of());
    }

    /** The outcome of a settled transfer, as a replayed answer with the versions it produced. */
    static CommandResult settled(String transferId, TransferState.Settled settled, String commandId) {
        TransferOutcome outcome = settled.outcome();
        TransferTerms terms = settled.terms();
        String amount = Money.format(outcome.amountMinor(), new Asset(outcome.currency(), outcome.scale()));
        TransferView view = new TransferView(transferId, terms.fromAccountId(), terms.toAccountId(), amount,
                outcome.currency(), outcome.status(), outcome.reasonCode(), outcome.reason(), settled.requestedAt(),
                outcome.settledAt());
        List<AppendedEvent> versions = new ArrayList<>();
        outcome.versions().forEach((account, version) -> versions.add(new AppendedEvent(null, "Transfer", account,
                version)));
        return new CommandResult(commandId, true, true, true, null, null, null, amount, view, versions);
    }
}
