package dev.tally.projection.runner;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Something that must happen once per event outside the ledger (DESIGN decision 9): a webhook, a
 * notification. A reactor never does it while reading the log: it records a task in PostgreSQL,
 * in the transaction that also moves its checkpoint, keyed so that reading an event again records
 * nothing new; a dispatcher of its own carries the tasks out. It is not a projection: rebuilds and
 * replays never run it, and it starts from "now" the first time it runs.
 */
public interface Reactor {

    /** Stable name: the checkpoint key and the consumer group's suffix. */
    String name();

    /** Records the tasks these events call for, inside the caller's transaction. */
    void react(Connection transaction, List<ReactedEvent> events) throws SQLException;

    /** Called after a batch's transaction committed: the tasks are there to be carried out. */
    default void committed() {
    }
}
