package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.ledger.AccountCommand.TargetAccount;
import dev.tally.command.ledger.AccountDecider;
import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.AccountState;
import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.CommandContext;
import dev.tally.command.ledger.Decision;
import dev.tally.command.ledger.Rejection;
import dev.tally.command.writemodel.CommandResult.AccountView;
import dev.tally.command.writemodel.CommandResult.AppendedEvent;
import dev.tally.events.SubjectForgotten;
import dev.tally.schemas.personal.KeyWrapping;
import dev.tally.schemas.personal.SealedEvents;
import dev.tally.schemas.personal.SubjectKey;
import dev.tally.schemas.tracing.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The single writer of the accounts on this partition. Kafka Streams runs it inside an
 * exactly_once_v2 transaction: the events, the new state, the remembered idempotency key, the next
 * saga step and the command's result are committed together or not at all, so a crash can neither
 * lose an acknowledged event nor append one twice.
 */
final class CommandProcessor implements Processor<String, CommandMessage, String, Object> {

    private static final Logger LOG = Logger.getLogger(CommandProcessor.class);

    /** Expiries handed out per check; more wait for the next one, so one check stays short. */
    static final int EXPIRIES_PER_CHECK = 1_000;

    private final Duration idempotencyWindow;
    private final Duration holdExpiryCheck;
    private final TraceHeaders tracing;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, AccountSnapshot> accounts;
    private KeyValueStore<String, IdempotencyRecord> idempotency;
    private KeyValueStore<String, TargetAccount> directory;
    private TransferIds transfers;
    private KeyValueStore<String, HoldRecord> holds;
    private HoldExpiries expiries;
    private KeyValueStore<String, MovementRecord> movements;

    private final KeyWrapping master;
    private SubjectKeys subjectKeys;

    CommandProcessor(Duration idempotencyWindow, Duration holdExpiryCheck, TraceHeaders tracing, KeyWrapping master) {
        this.master = master;
        this.idempotencyWindow = idempotencyWindow;
        this.holdExpiryCheck = holdExpiryCheck;
        this.tracing = tracing;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.accounts = context.getStateStore(WriteModelTopology.ACCOUNTS_STORE);
        this.idempotency = context.getStateStore(WriteModelTopology.IDEMPOTENCY_STORE);
        this.directory = context.getStateStore(AccountDirectory.STORE);
        this.transfers = new TransferIds(context.getStateStore(WriteModelTopology.TRANSFERS_STORE), this::send,
                this::reply, accountId -> {
                    TargetAccount known = directory.get(accountId);
                    return known == null ? null : known.currency();
                });
        context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, this::forgetExpiredKeys);
        this.holds = context.getStateStore(WriteModelTopology.HOLDS_STORE);
        this.expiries = new HoldExpiries(context.getStateStore(WriteModelTopology.HOLD_EXPIRIES_STORE));
        this.movements = context.getStateStore(WriteModelTopology.MOVEMENTS_STORE);
        this.subjectKeys = new SubjectKeys(context.getStateStore(SubjectKeys.STORE), master, (accountId, value) ->
                context.forward(new Record<>(accountId, (Object) value, context.currentSystemTimeMs()), SubjectKeys.SINK));
        context.schedule(holdExpiryCheck, PunctuationType.WALL_CLOCK_TIME, this::expireDueHolds);
    }

    /**
     * Decides one command inside the trace of the request that sent it (from the record's
     * {@code traceparent}); everything forwarded meanwhile carries this span's context on.
     */
    @Override
    public void process(Record<String, CommandMessage> record) {
        CommandMessage message = record.value();
        if (message == null) {
            return;
        }
        Span span = tracing.startConsumerSpan("tally.command " + message.type(), record.headers());
        MDC.put("correlationId", message.correlationId());
        try (Scope scope = span == null ? Scope.noop() : span.makeCurrent()) {
            if (span != null) {
                span.setAttribute("tally.account_id", String.valueOf(message.accountId()));
                span.setAttribute("tally.correlation_id", String.valueOf(message.correlationId()));
            }
            decide(message);
        } finally {
            MDC.remove("correlationId");
            if (span != null) {
                span.end();
            }
        }
    }

    private void decide(CommandMessage message) {
        if (message.type() == CommandMessage.Type.PING) {
            reply(message.commandId(), new CommandResult(message.commandId(), true, true, false, null, null, null, null,
                    null, List.of()));
            return;
        }
        switch (message.type()) {
            case REQUEST_TRANSFER, TRANSFER_REFUSED, TRANSFER_SETTLED, REQUEST_POST, REQUEST_VOID, TRANSFER_RESERVED,
                 REQUEST_REVERSAL, REVERSAL_ENDED -> {
                transfers.handle(message);
                return;
            }
            default -> {
            }
        }
        if (message.idempotencyKey() != null && answeredBefore(message)) {
            return;
        }
        AccountSnapshot before = accounts.get(message.accountId());
        if (before == null && message.type() == CommandMessage.Type.OPEN_ACCOUNT && lostFromTheStore(message.accountId())) {
            rejected(message, Rejection.of("account-exists", "Account %s already exists".formatted(message.accountId())));
            return;
        }
        if (message.type() == CommandMessage.Type.FORGET_SUBJECT && before != null
                && before.owner().equals(message.body().owner()) && subjectKeys.forgotten(message.accountId())) {
            // Forgotten before: no key left to destroy, so no second event; the answer lists none.
            reply(message.commandId(), new CommandResult(message.commandId(), true, true, false, null,
                    AccountView.of(message.accountId(), before), null, null, null, List.of()));
            return;
        }
        AccountCommand command = message.toCommand();
        if (command instanceof AccountCommand.SendTransfer send) {
            command = send.withTarget(directory.get(send.toAccountId()));
        } else if (command instanceof AccountCommand.ReserveTransfer reserve) {
            command = reserve.withTarget(directory.get(reserve.toAccountId()));
        }
        HoldRecord hold = message.body().holdId() == null ? null
                : holds.get(HoldRecord.storeKey(message.accountId(), message.body().holdId()));
        if (hold != null && message.type() == CommandMessage.Type.PLACE_HOLD && samePlacement(message, hold)) {
            // The same placement again (a retry without Idempotency-Key): the hold as it is now.
            reply(message.commandId(), holdAnswer(message, before, hold).asReplay());
            return;
        }
        command = withHoldHistory(command, hold);
        if (command instanceof AccountCommand.ReverseMovement reverse) {
            MovementRecord original = movements.get(MovementRecord.storeKey(message.accountId(),
                    reverse.originalTransactionId()));
            command = reverse.withKnown(original == null ? null : original.toMovement());
        }
        switch (AccountDecider.decide(command, AccountSnapshot.toState(before))) {
            case Decision.Rejected rejected -> rejected(message, rejected.rejection());
            case Decision.Accepted accepted -> accepted(message, before, accepted.events());
        }
    }

    /**
     * The event as it may be appended: its personal values sealed with the account's key (made with
     * the account's first event that has any), or erased once the subject is forgotten; a SubjectForgotten destroys
     * the key and names it.
     */
    private SpecificRecord personal(SpecificRecord event, String accountId, String owner) {
        if (event instanceof SubjectForgotten forgotten) {
            forgotten.setKeyId(subjectKeys.forget(accountId));
            return forgotten;
        }
        if (!SealedEvents.hasPersonalText(event)) {
            return event; // nothing to seal: no key is looked up, unwrapped or made
        }
        SubjectKey key = subjectKeys.keyFor(accountId, owner);
        return key == null ? SealedEvents.erase(event) : SealedEvents.seal(event, key);
    }

    private static boolean samePlacement(CommandMessage message, HoldRecord hold) {
        return message.requestHash() != null && message.requestHash().equals(hold.requestHash());
    }

    /** What became of the command's hold id before, for the decider (it sees only open holds). */
    private static AccountCommand withHoldHistory(AccountCommand command, HoldRecord hold) {
        if (hold == null) {
            return command;
        }
        return switch (command) {
            case AccountCommand.PlaceHold place -> place.withKnown(hold.status());
            case AccountCommand.CaptureHold capture -> capture.withKnown(hold.status());
            case AccountCommand.ReleaseHold release -> release.withKnown(hold.status());
            default -> command;
        };
    }

    private CommandResult holdAnswer(CommandMessage message, AccountSnapshot account, HoldRecord hold) {
        return new CommandResult(message.commandId(), true, true, false, null,
                AccountView.of(message.accountId(), account), hold.transactionId(), null, null, List.of(), hold.view());
    }

    /**
     * Partial state loss: the accounts store lacks an account the directory knows. The directory is
     * written in the same transaction as the account's first event, so only lost state gets here
     * (a changelog that lost records, a store restored from the wrong place). Opening it again would
     * start a second history at sequence 1, so it is refused, loudly. One lookup in a local store,
     * and only for an open of an id this partition does not know. (The directory may lag by a
     * moment, but only behind accounts the store has too: it never refuses a new id.)
     */
    private boolean lostFromTheStore(String accountId) {
        if (directory.get(accountId) == null) {
            return false;
        }
        LOG.errorf("The write model's state is partly lost: account %s is in %s but not in the %s store. Refused "
                        + "to open it again at sequence 1; restore the write model's state from %s (docs/design.md, "
                        + "section 2)", accountId, dev.tally.schemas.Topics.ACCOUNT_DIRECTORY.name(),
                WriteModelTopology.ACCOUNTS_STORE, dev.tally.schemas.Topics.LEDGER_EVENTS.name());
        return true;
    }

    private boolean answeredBefore(CommandMessage message) {
        String key = IdempotencyRecord.storeKey(message.accountId(), message.idempotencyKey());
        IdempotencyRecord seen = idempotency.get(key);
        if (seen == null || seen.expiresAt().isBefore(message.issuedAt())) {
            return false;
        }
        boolean sameRequest = message.requestHash() != null && message.requestHash().equals(seen.requestHash());
        if (sameRequest) {
            reply(message.commandId(), seen.firstResult().asReplay());
        } else {
            rejected(message, Rejection.of("idempotency-key-reused",
                    "Idempotency-Key %s was first used with a different request".formatted(message.idempotencyKey())));
        }
        return true;
    }

    private void rejected(CommandMessage message, Rejection rejection) {
        switch (message.type()) {
            case RECEIVE_TRANSFER -> TransferSaga.afterRejection(message, rejection, now()).ifPresent(this::send);
            // The transfer id was claimed for this debit (or reservation): the refusal frees it and
            // answers the client; a refused post or void leaves the transfer reserved.
            case SEND_TRANSFER, RESERVE_TRANSFER, POST_TRANSFER, VOID_TRANSFER ->
                    send(TransferSaga.refused(message, rejection));
            // a settling step that finds nothing in flight has already run: nothing to do, nobody to tell
            case REFUND_TRANSFER, COMPLETE_TRANSFER -> LOG.warnf("Ignored transfer step %s on %s: %s",
                    message.type(), message.accountId(), rejection.detail());
            // captured or released since the check found it due: nothing to expire, nobody waiting
            case EXPIRE_HOLD -> LOG.debugf("No expiry for %s: %s", message.accountId(), rejection.detail());
            default -> reply(message.commandId(), CommandResult.rejected(message.commandId(), rejection));
        }
    }

    private void accepted(CommandMessage message, AccountSnapshot before, List<AccountEvent> events) {
        AccountState state = AccountSnapshot.toState(before);
        List<AppendedEvent> appended = new ArrayList<>();
        List<CommandMessage> nextSteps = new ArrayList<>();
        long timestamp = message.issuedAt().toEpochMilli();
        for (int index = 0; index < events.size(); index++) {
            AccountEvent event = events.get(index);
            state = AccountDecider.evolve(state, event);
            Asset asset = AccountDecider.accountOf(state).asset();
            SpecificRecord avro = personal(LedgerEventMapper.toAvro(event, message, index, state.version(), asset),
                    message.accountId(), AccountDecider.accountOf(state).owner());
            context.forward(traced(new Record<>(message.accountId(), (Object) avro, timestamp)),
                    WriteModelTopology.EVENTS_SINK);
            String eventId = LedgerEventMapper.eventId(message.commandId(), index);
            appended.add(new AppendedEvent(eventId, avro.getSchema().getName(), message.accountId(), state.version()));
            TransferSaga.after(message, event, eventId, asset, state.version(), now()).ifPresent(nextSteps::add);
            TransferSaga.settlement(message, event, AccountDecider.accountOf(state)).ifPresent(nextSteps::add);
        }
        AccountSnapshot after = AccountSnapshot.of(state, before, message.issuedAt());
        accounts.put(message.accountId(), after);
        HoldRecord hold = recordHolds(message, events, AccountDecider.accountOf(state).asset());
        for (AccountEvent event : events) {
            MovementRecord.apply(message.accountId(), event, movements::get, movements::put);
        }
        if (before == null || !before.status().equals(after.status()) && "CLOSED".equals(after.status())) {
            context.forward(new Record<>(message.accountId(), (Object) new TargetAccount(after.currency(),
                    "CLOSED".equals(after.status()), after.owner()), timestamp), AccountDirectory.SINK);
        }
        nextSteps.forEach(this::send);

        CommandResult result = CommandResults.afterAccepted(message, events, AccountView.of(message.accountId(), after),
                appended, hold == null ? null : hold.view());
        String answerTo = message.replyTo() != null ? message.replyTo() : message.commandId();
        if (result != null) {
            reply(answerTo, result.withCommandId(answerTo));
        }
        if (message.idempotencyKey() != null && result != null) {
            idempotency.put(IdempotencyRecord.storeKey(message.accountId(), message.idempotencyKey()),
                    new IdempotencyRecord(message.requestHash(), message.commandId(),
                            message.issuedAt().plus(idempotencyWindow), result));
        }
    }

    /** Keeps the hold records and the expiry index in step with the hold events; returns the hold touched. */
    private HoldRecord recordHolds(CommandMessage message, List<AccountEvent> events, Asset asset) {
        HoldRecord latest = null;
        for (AccountEvent event : events) {
            String holdId = HoldRecord.holdIdOf(event);
            if (holdId == null) {
                continue;
            }
            String key = HoldRecord.storeKey(message.accountId(), holdId);
            HoldRecord before = latest != null && latest.holdId().equals(holdId) ? latest : holds.get(key);
            latest = HoldRecord.after(before, message.accountId(), event, asset, message.issuedAt(),
                    message.requestHash());
            holds.put(key, latest);
            if (latest.status() == dev.tally.command.ledger.Hold.Status.OPEN) {
                expiries.opened(latest.expiresAt(), message.accountId(), holdId);
            } else {
                expiries.closed(latest.expiresAt(), message.accountId(), holdId);
            }
        }
        return latest;
    }

    /**
     * The write model's own clock decides expiry: each due hold gets an EXPIRE_HOLD command through
     * the commands topic, in the same transaction that takes it off the index, so a crash neither
     * loses nor doubles it. The decider expires it only if it is still open and due at the
     * command's time; the command id is the hold's, so its event ids are the same on any retry.
     */
    private void expireDueHolds(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        for (String due : expiries.takeDue(now, EXPIRIES_PER_CHECK)) {
            String accountId = HoldRecord.accountOf(due);
            String holdId = due.substring(accountId.length() + 1);
            String commandId = UUID.nameUUIDFromBytes(("expire-hold:" + due).getBytes(StandardCharsets.UTF_8)).toString();
            var context = new CommandContext(commandId, accountId, now, "system", commandId, commandId, null, null);
            send(CommandMessage.from(new AccountCommand.ExpireHold(context, holdId), null, null));
        }
    }

    private void forgetExpiredKeys(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        List<String> expired = new ArrayList<>();
        try (var all = idempotency.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.expiresAt().isBefore(now)) {
                    expired.add(entry.key);
                }
            });
        }
        expired.forEach(idempotency::delete);
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    private void send(CommandMessage step) {
        context.forward(traced(new Record<>(step.key(), (Object) step, context.currentSystemTimeMs())),
                WriteModelTopology.COMMANDS_SINK);
    }

    /** The record with the current trace context in its headers. */
    private <V> Record<String, V> traced(Record<String, V> record) {
        tracing.inject(Context.current(), record.headers());
        return record;
    }

    private void reply(String commandId, CommandResult result) {
        context.forward(new Record<>(commandId, (Object) result, context.currentSystemTimeMs()),
                WriteModelTopology.RESULTS_SINK);
    }
}
