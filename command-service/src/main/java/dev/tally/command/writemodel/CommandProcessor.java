package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountDecider;
import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.AccountState;
import dev.tally.command.ledger.Decision;
import dev.tally.command.ledger.Money;
import dev.tally.command.writemodel.CommandResult.AccountView;
import dev.tally.command.writemodel.CommandResult.AppendedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The single writer of the accounts on this partition. Kafka Streams runs it inside an
 * exactly_once_v2 transaction: the events, the new state and the command's result are committed
 * together or not at all, so a crash can neither lose an acknowledged event nor append one twice.
 */
final class CommandProcessor implements Processor<String, CommandMessage, String, Object> {

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, AccountSnapshot> accounts;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.accounts = context.getStateStore(WriteModelTopology.ACCOUNTS_STORE);
    }

    @Override
    public void process(Record<String, CommandMessage> record) {
        CommandMessage message = record.value();
        if (message == null) {
            return;
        }
        if (message.type() == CommandMessage.Type.PING) {
            reply(message.commandId(), new CommandResult(message.commandId(), true, null, null, null, null, List.of()));
            return;
        }
        AccountSnapshot before = accounts.get(message.accountId());
        AccountState state = AccountSnapshot.toState(before);
        var command = message.toCommand();
        switch (AccountDecider.decide(command, state)) {
            case Decision.Rejected rejected -> reply(message.commandId(),
                    CommandResult.rejected(message.commandId(), rejected.rejection()));
            case Decision.Accepted accepted -> {
                List<AppendedEvent> appended = new ArrayList<>();
                String amount = null;
                long timestamp = message.issuedAt().toEpochMilli();
                for (int index = 0; index < accepted.events().size(); index++) {
                    AccountEvent event = accepted.events().get(index);
                    state = AccountDecider.evolve(state, event);
                    AccountState.Open open = (AccountState.Open) state;
                    SpecificRecord avro = LedgerEventMapper.toAvro(event, command.context(), index, open.version(),
                            open.asset());
                    context.forward(new Record<>(message.accountId(), (Object) avro, timestamp),
                            WriteModelTopology.EVENTS_SINK);
                    amount = movedAmount(event, open).orElse(amount);
                    appended.add(new AppendedEvent(LedgerEventMapper.eventId(message.commandId(), index),
                            avro.getSchema().getName(), open.version()));
                }
                AccountSnapshot after = AccountSnapshot.of(state, before, message.issuedAt());
                accounts.put(message.accountId(), after);
                reply(message.commandId(), new CommandResult(message.commandId(), true, null,
                        AccountView.of(message.accountId(), after), message.transactionId(), amount, appended));
            }
        }
    }

    /** The amount a movement moved, in the asset's canonical form ("30" becomes "30.00"). */
    private static Optional<String> movedAmount(AccountEvent event, AccountState.Open account) {
        return switch (event) {
            case AccountEvent.FundsDeposited deposited -> Optional.of(Money.format(deposited.amountMinor(), account.asset()));
            case AccountEvent.FundsWithdrawn withdrawn -> Optional.of(Money.format(withdrawn.amountMinor(), account.asset()));
            case AccountEvent.AccountOpened opened -> Optional.empty();
        };
    }

    private void reply(String commandId, CommandResult result) {
        context.forward(new Record<>(commandId, (Object) result, context.currentSystemTimeMs()),
                WriteModelTopology.RESULTS_SINK);
    }
}
