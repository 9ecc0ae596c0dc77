package dev.tally.schemas;

import dev.tally.events.AccountOpened;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
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
            FundsWithdrawn.getClassSchema());

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
