package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.CommandContext;
import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** The one place where domain events become the published Avro contract. */
public final class LedgerEventMapper {

    private LedgerEventMapper() {
    }

    /**
     * The event id is a name-based UUID of the command id and the event's index: the same command
     * always yields the same ids, so a consumer that sees an event twice can tell.
     */
    public static String eventId(String commandId, int index) {
        return UUID.nameUUIDFromBytes((commandId + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static SpecificRecord toAvro(AccountEvent event, CommandContext command, int index, long sequence,
                                        Asset asset) {
        EventMeta meta = EventMeta.newBuilder()
                .setEventId(eventId(command.commandId(), index))
                .setAccountId(command.accountId())
                .setSequence(sequence)
                .setOccurredAt(command.issuedAt())
                .setCommandId(command.commandId())
                .setCorrelationId(command.correlationId())
                .setCausationId(command.commandId())
                .setActor(command.actor())
                .build();
        return switch (event) {
            case AccountEvent.AccountOpened opened -> AccountOpened.newBuilder().setMeta(meta)
                    .setOwner(opened.owner()).setCurrency(opened.asset().code()).setScale(opened.asset().scale())
                    .setOverdraftLimitMinor(opened.overdraftLimitMinor()).setMetadata(opened.metadata()).build();
            case AccountEvent.FundsDeposited deposited -> FundsDeposited.newBuilder().setMeta(meta)
                    .setTransactionId(deposited.transactionId()).setAmountMinor(deposited.amountMinor())
                    .setCurrency(asset.code()).setBalanceAfterMinor(deposited.balanceAfterMinor())
                    .setReference(deposited.reference()).setMetadata(deposited.metadata()).build();
            case AccountEvent.FundsWithdrawn withdrawn -> FundsWithdrawn.newBuilder().setMeta(meta)
                    .setTransactionId(withdrawn.transactionId()).setAmountMinor(withdrawn.amountMinor())
                    .setCurrency(asset.code()).setBalanceAfterMinor(withdrawn.balanceAfterMinor())
                    .setReference(withdrawn.reference()).setMetadata(withdrawn.metadata()).build();
        };
    }
}
