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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
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

    /** Marks (in {@code reasonCode}) the request of a reversal its original has just counted as pending. */
    static final String NEW_REVERSAL = "NEW_REVERSAL";

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
                send.accept(message.as(start.next().terms().twoPhase() ? CommandMessage.Type.RESERVE_TRANSFER
                        : CommandMessage.Type.SEND_TRANSFER, null));
            }
            case TransferDecision.Join join -> {
                store.put(transferId, TransferRecord.of(join.next()));
                reply.accept(join.commandId(), pending(transferId, join.next(), join.commandId()));
            }
            case TransferDecision.Replay replay -> reply.accept(message.commandId(),
                    answer(transferId, replay.terms(), replay.requestedAt(), replay.outcome(), message.commandId()));
            case TransferDecision.Refuse refuse -> {
                reply.accept(message.commandId(), CommandResult.rejected(message.commandId(), refuse.rejection()));
                // A new reversal whose id another transfer already holds never starts: the transfer it
                // would reverse stops counting it as pending.
                if (message.type() == CommandMessage.Type.REQUEST_TRANSFER
                        && NEW_REVERSAL.equals(message.body().reasonCode())) {
                    reportReversal(transferId, terms(message), message, false, 0);
                }
            }
            case TransferDecision.Release release -> {
                store.delete(transferId);
                release.answer().forEach(id -> reply.accept(id, CommandResult.rejected(id, release.rejection())));
                if (state instanceof TransferState.Started started) {
                    reportReversal(transferId, started.terms(), message, false, 0);
                }
            }
            case TransferDecision.Settle settle -> {
                store.put(transferId, TransferRecord.of(settle.next()));
                settle.answer().forEach(id -> reply.accept(id, settled(transferId, settle.next(), id)));
                TransferOutcome outcome = settle.next().outcome();
                reportReversal(transferId, settle.next().terms(), message, "COMPLETED".equals(outcome.status()),
                        outcome.amountMinor());
            }
            case TransferDecision.StartReversal start -> {
                store.put(transferId, TransferRecord.of(start.next()));
                send.accept(reversalRequest(message, start.reversalId(), start.reversal(), true));
            }
            case TransferDecision.ForwardReversal forward ->
                    send.accept(reversalRequest(message, forward.reversalId(), forward.reversal(), false));
            case TransferDecision.RecordReversal recorded -> store.put(transferId, TransferRecord.of(recorded.next()));
            case TransferDecision.Reserve reserve -> {
                store.put(transferId, TransferRecord.of(reserve.next()));
                TransferState.Reserved r = reserve.next();
                reserve.answer().forEach(id -> reply.accept(id,
                        answer(transferId, r.terms(), r.requestedAt(), r.reservation(), id)));
            }
            case TransferDecision.Resolve resolve -> {
                store.put(transferId, TransferRecord.of(resolve.next()));
                send.accept(toSource(message, resolve.next()));
            }
            case TransferDecision.JoinResolving join -> store.put(transferId, TransferRecord.of(join.next()));
            case TransferDecision.Reopen reopen -> {
                store.put(transferId, TransferRecord.of(reopen.next()));
                reopen.answer().forEach(id -> reply.accept(id, CommandResult.rejected(id, reopen.rejection())));
            }
            case TransferDecision.Ignore ignore ->
                    LOG.debugf("Transfer %s: %s ignored (%s)", transferId, message.type(), ignore.why());
        }
    }

    /**
     * The reversal as a transfer request of its own, addressed to the reversal's id under the
     * client's command id: that id's single writer claims it and runs the usual saga, which answers
     * the client. {@code counted}: the original has just counted it as pending (a new reversal), so a
     * refusal must tell it; a repeated one is counted already and its refusal changes nothing.
     */
    private static CommandMessage reversalRequest(CommandMessage request, String reversalId, TransferTerms reversal,
                                                  boolean counted) {
        CommandMessage.Body body = new CommandMessage.Body(null, null, null, null, reversal.amount(), null,
                reversal.reference(), reversal.metadata(), null, reversalId, reversal.toAccountId(),
                counted ? NEW_REVERSAL : null, null).reversing(reversal.reversalOf());
        return new CommandMessage(CommandMessage.Type.REQUEST_TRANSFER, request.commandId(), reversal.fromAccountId(),
                request.issuedAt(), request.actor(), request.correlationId(), request.causationId(), null, null, null,
                null, body, request.confinedToOwner());
    }

    /** A reversal transfer that ended tells the transfer it reverses, which counts what it moved back. */
    private void reportReversal(String reversalId, TransferTerms terms, CommandMessage cause, boolean completed,
                                long amountMinor) {
        if (terms.reversalOf() == null) {
            return;
        }
        CommandMessage.Body body = new CommandMessage.Body(null, null, null, reversalId, null, amountMinor, null,
                java.util.Map.of(), null, terms.reversalOf(), null, completed ? "COMPLETED" : "NOT_COMPLETED", null);
        send.accept(new CommandMessage(CommandMessage.Type.REVERSAL_ENDED, cause.commandId() + ":reversal-ended",
                null, cause.issuedAt(), cause.actor(), cause.correlationId(), cause.commandId(), null, null, null, null,
                body, null));
    }

    /**
     * The post or void as a command on the source, under the client's command id, so the source's
     * events and its answer belong to the request that asked.
     */
    private static CommandMessage toSource(CommandMessage request, TransferState.Resolving resolving) {
        String source = resolving.reserved().terms().fromAccountId();
        boolean post = resolving.action() == TransferState.Action.POST;
        TransferState.Reserved reserved = resolving.reserved();
        // The request's time and the reservation's expiry ride along, so the source's answer names them.
        CommandMessage.Body body = new CommandMessage.Body(null, null, null, null, post ? resolving.argument() : null,
                null, null, java.util.Map.of(), post ? null : resolving.argument(), request.body().transferId(), null,
                null, null, null, null, null, reserved.requestedAt(), null, reserved.reservation().expiresAt());
        return new CommandMessage(post ? CommandMessage.Type.POST_TRANSFER : CommandMessage.Type.VOID_TRANSFER,
                request.commandId(), source, request.issuedAt(), request.actor(), request.correlationId(),
                request.causationId(), null, null, null, null, body, request.confinedToOwner());
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
            case TRANSFER_RESERVED -> new TransferCommand.RecordReservation(terms(message), body.requestedAt(),
                    body.outcome());
            case REQUEST_POST -> new TransferCommand.RequestPost(message.commandId(), body.amount(),
                    message.confinedToOwner());
            case REQUEST_VOID -> new TransferCommand.RequestVoid(message.commandId(), body.reason(),
                    message.confinedToOwner());
            case REQUEST_REVERSAL -> new TransferCommand.RequestReversal(message.commandId(), body.transactionId(),
                    body.amount(), body.reason(), message.idempotencyKey(), message.issuedAt());
            case REVERSAL_ENDED -> new TransferCommand.RecordReversal(body.transactionId(),
                    "COMPLETED".equals(body.reasonCode()), body.amountMinor() == null ? 0 : body.amountMinor());
            default -> throw new IllegalArgumentException(message.type() + " is not addressed to a transfer");
        };
    }

    /** The terms a transfer message asks for (the source is the message's account). */
    static TransferTerms terms(CommandMessage message) {
        CommandMessage.Body body = message.body();
        // Only a two-phase transfer carries an expiry (its reservation's).
        return new TransferTerms(message.accountId(), body.counterpartyAccountId(), body.amount(), body.reference(),
                body.metadata(), body.expiresAt() != null, body.reversalOf());
    }

    /** The answer to a repeated request while the money is in flight: PENDING, no token yet. */
    private CommandResult pending(String transferId, TransferState.Started started, String commandId) {
        TransferTerms terms = started.terms();
        TransferView view = new TransferView(transferId, terms.fromAccountId(), terms.toAccountId(), terms.amount(),
                currencyOf.apply(terms.fromAccountId()), "PENDING", null, null,
                started.requestedAt(), null, terms.twoPhase(), null, terms.twoPhase() ? terms.amount() : null);
        return new CommandResult(commandId, true, false, true, null, null, null, terms.amount(), view, List.of());
    }

    /** The outcome of a settled transfer, as a replayed answer with the versions it produced. */
    static CommandResult settled(String transferId, TransferState.Settled settled, String commandId) {
        return answer(transferId, settled.terms(), settled.requestedAt(), settled.outcome(), commandId);
    }

    /**
     * Where the transfer stands (settled, or reserved), as an answer that already happened, with the
     * versions it produced so that its consistency token is as good as the first answer's.
     */
    static CommandResult answer(String transferId, TransferTerms terms, Instant requestedAt, TransferOutcome outcome,
                                String commandId) {
        Asset asset = new Asset(outcome.currency(), outcome.scale());
        String amount = Money.format(outcome.amountMinor(), asset);
        TransferView view = new TransferView(transferId, terms.fromAccountId(), terms.toAccountId(), amount,
                outcome.currency(), outcome.status(), outcome.reasonCode(), outcome.reason(), requestedAt,
                "RESERVED".equals(outcome.status()) ? null : outcome.settledAt(), terms.twoPhase(),
                outcome.expiresAt(), terms.twoPhase() ? reserved(terms.amount(), asset) : null, terms.reversalOf());
        List<AppendedEvent> versions = new ArrayList<>();
        outcome.versions().forEach((account, version) -> versions.add(new AppendedEvent(null, "Transfer", account,
                version)));
        return new CommandResult(commandId, true, true, true, null, null, null, amount, view, versions);
    }

    /** The reserved amount as the request gave it, in the account's scale. */
    private static String reserved(String requested, Asset asset) {
        try {
            return new BigDecimal(requested).setScale(asset.scale(), RoundingMode.UNNECESSARY).toPlainString();
        } catch (ArithmeticException | NumberFormatException unexpected) {
            return requested;
        }
    }
}
