package dev.tally.projection.runner;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A read model fed from {@code tally.ledger.events}. The runner owns the transaction, the
 * checkpoint and the per-account positions: it hands over only events not applied yet, each the
 * next one of its account, in log order per account.
 */
public interface Projection {

    /** Stable name: the consumer group, the checkpoint key and the HTTP resource name. */
    String name();

    /** The tables this projection alone writes; a rebuild builds fresh copies of them and swaps them in. */
    List<String> tables();

    /** Applies one batch inside the caller's transaction. */
    void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException;
}
