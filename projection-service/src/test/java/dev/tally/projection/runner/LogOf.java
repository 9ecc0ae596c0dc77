package dev.tally.projection.runner;

import dev.tally.schemas.LedgerEventSerializer;
import dev.tally.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Events as the runner reads them from the events topic: encoded, keyed by account, with offsets. */
public final class LogOf {

    private static final LedgerEventSerializer SERIALIZER = new LedgerEventSerializer();
    private final Map<Integer, Long> nextOffset = new TreeMap<>();

    /** One record per event on the given partition, at the partition's next offsets. */
    public List<ConsumerRecord<String, byte[]>> append(int partition, SpecificRecord... events) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (SpecificRecord event : events) {
            long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
            RecordHeaders headers = new RecordHeaders();
            byte[] value = SERIALIZER.serialize(Topics.LEDGER_EVENTS.name(), headers, event);
            String key = ((dev.tally.events.EventMeta) event.get(0)).getAccountId();
            records.add(new ConsumerRecord<>(Topics.LEDGER_EVENTS.name(), partition, offset, 0L,
                    org.apache.kafka.common.record.TimestampType.CREATE_TIME, -1, value.length, key, value, headers,
                    java.util.Optional.empty()));
        }
        return records;
    }

    /** The offsets after the records: what a checkpoint saved with them holds. */
    public static Map<Integer, Long> nextOffsets(List<ConsumerRecord<String, byte[]>> records) {
        Map<Integer, Long> next = new TreeMap<>();
        records.forEach(r -> next.put(r.partition(), r.offset() + 1));
        return next;
    }
}
