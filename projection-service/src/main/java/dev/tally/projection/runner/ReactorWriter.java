package dev.tally.projection.runner;

import dev.tally.events.EventMeta;
import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.tracing.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * One batch of events into one reactor, as one database transaction: the tasks it records and the
 * checkpoint commit together, behind the same fence as a projection's writes (an advisory lock per
 * partition and the stored checkpoint compared), so two instances never record for one partition
 * at once and a batch read again records nothing new. Events it cannot read (a type newer than
 * this service) are passed over with a warning: one odd event must not stop every notification.
 */
public final class ReactorWriter implements EventSink {

    private static final Logger LOG = Logger.getLogger(ReactorWriter.class);

    private final Reactor reactor;
    private final DataSource dataSource;
    private final LedgerEventDeserializer events = new LedgerEventDeserializer();

    private final boolean fromBeginning;

    /** @param fromBeginning on its very first start, read the whole log instead of starting from now */
    public ReactorWriter(Reactor reactor, DataSource dataSource, boolean fromBeginning) {
        this.reactor = reactor;
        this.dataSource = dataSource;
        this.fromBeginning = fromBeginning;
    }

    @Override
    public String name() {
        return reactor.name() + "-reactor";
    }

    @Override
    public String consumerGroup() {
        return "tally-reactor-" + reactor.name();
    }

    @Override
    public boolean startsFromEnd() {
        return !fromBeginning;
    }

    @Override
    public int writeOrPark(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> from, Map<Integer, Long> nextOffsets) {
        List<ReactedEvent> batch = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                SpecificRecord event = StorableText.event(events.deserialize(record.topic(), record.headers(), record.value()));
                Header trace = record.headers().lastHeader(TraceHeaders.TRACEPARENT);
                batch.add(new ReactedEvent(event, (EventMeta) event.get(0),
                        trace == null ? null : new String(trace.value(), StandardCharsets.UTF_8)));
            } catch (RuntimeException unreadable) {
                LOG.warnf("Reactor %s passes over partition %d offset %d: %s", reactor.name(), record.partition(),
                        record.offset(), DeadLetters.describe(unreadable));
            }
        }
        inTransaction(transaction -> {
            CheckpointStore.claim(transaction, "public", name(), BatchWriter.TOPIC, from, nextOffsets.keySet());
            reactor.react(transaction, batch);
            CheckpointStore.save(transaction, name(), BatchWriter.TOPIC, nextOffsets);
        });
        reactor.committed();
        return 0;
    }

    @Override
    public Map<Integer, Long> checkpoints() {
        try (Connection connection = dataSource.getConnection()) {
            return CheckpointStore.load(connection, name(), BatchWriter.TOPIC);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the checkpoints of " + name(), e);
        }
    }

    @Override
    public void storeFirstCheckpoints(Map<Integer, Long> checkpoints) {
        inTransaction(transaction -> CheckpointStore.saveIfAbsent(transaction, name(), BatchWriter.TOPIC, checkpoints));
    }

    private void inTransaction(Transactions.Work work) {
        Transactions.run(dataSource, "reactor " + reactor.name(), work);
    }
}
