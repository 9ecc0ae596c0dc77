package dev.tally.command.ledger;

import java.util.List;

/** The outcome of deciding a command: the events to append, or why not. */
public sealed interface Decision {

    record Accepted(List<AccountEvent> events) implements Decision {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    record Rejected(Rejection rejection) implements Decision {
    }
}
