package dev.tally.projection.runner;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** A read model fed from {@code tally.ledger.events}. The runner owns the transaction and the checkpoint. */
public interface Projection {

    /** Stable name: the consumer group, the checkpoint key and the HTTP resource name. */
    String name();

    /** Applies one batch of events, in log order per partition, inside the caller's transaction. */
    void apply(Connection transaction, List<SpecificRecord> events) throws SQLException;
}
