package dev.tally.schemas;

import dev.tally.events.AccountClosed;
import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.AccountUnfrozen;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import dev.tally.events.SubjectForgotten;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** Every event type that may appear on {@code tally.ledger.events}, with its current schema. */
public final class EventTypes {

    public static final List<Schema> CURRENT = List.of(
            AccountOpened.getClassSchema(),
            FundsDeposited.getClassSchema(),
            FundsWithdrawn.getClassSchema(),
            AccountFrozen.getClassSchema(),
            AccountUnfrozen.getClassSchema(),
            AccountClosed.getClassSchema(),
            TransferDebited.getClassSchema(),
            TransferCredited.getClassSchema(),
            TransferRefunded.getClassSchema(),
            TransferCompleted.getClassSchema(),
            FundsHeld.getClassSchema(),
            HoldCaptured.getClassSchema(),
            HoldReleased.getClassSchema(),
            HoldExpired.getClassSchema(),
            TransferReserved.getClassSchema(),
            TransferPosted.getClassSchema(),
            TransferVoided.getClassSchema(),
            SubjectForgotten.getClassSchema());

    private static final Map<String, Schema> BY_NAME = CURRENT.stream()
            .collect(Collectors.toUnmodifiableMap(Schema::getName, Function.identity()));

    private EventTypes() {
    }

    public static Schema schemaOf(String simpleName) {
        Schema schema = BY_NAME.get(simpleName);
        if (schema == null) {
            throw new IllegalArgumentException("Unknown event type: " + simpleName);
        }
        return schema;
    }

    public static String typeOf(SpecificRecord event) {
        return event.getSchema().getName();
    }
}
