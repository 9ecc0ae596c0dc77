package dev.tally.system;

import dev.tally.events.EventMeta;
import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.Topics;
import dev.tally.schemas.personal.RevealingLedgerEventDeserializer;
import dev.tally.stack.LocalStack;
import dev.tally.stack.auth.LocalMasterKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the whole events topic from outside, as a subscriber would (read_committed, Avro single-object). */
final class LedgerLog {

    private LedgerLog() {
    }

    /** Every committed record of the topic, as stored, from offset 0 to the current end. */
    static List<ConsumerRecord<String, byte[]>> records(String bootstrapServers) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.LEDGER_EVENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the events topic to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Every event of the topic, decoded with today's deserializer. */
    static List<SpecificRecord> readAll(String bootstrapServers) {
        return decode(records(bootstrapServers), new LedgerEventDeserializer());
    }

    private static List<SpecificRecord> decode(List<ConsumerRecord<String, byte[]>> records,
                                               Deserializer<SpecificRecord> decoder) {
        List<SpecificRecord> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(decoder.deserialize(record.topic(), record.value()));
            } catch (SerializationException deliberatelyCorrupt) {
                // DeadLetterSystemTest writes a record no reader can decode; a subscriber passes over it
            }
        }
        return events;
    }

    /**
     * Every event of the stack's topic with its personal values revealed (the text sent, or
     * [erased]), as a subscriber trusted with the stack's master key reads them with
     * {@link RevealingLedgerEventDeserializer}.
     */
    static List<SpecificRecord> readAllRevealed(LocalStack stack) {
        try (RevealingLedgerEventDeserializer decoder = new RevealingLedgerEventDeserializer()) {
            decoder.configure(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    RevealingLedgerEventDeserializer.MASTER_KEY, LocalMasterKey.ensure(stack.settings().dataDir())), false);
            return decode(records(stack.bootstrapServers()), decoder);
        }
    }

    static List<SpecificRecord> of(List<SpecificRecord> events, String accountId) {
        return events.stream().filter(e -> meta(e).getAccountId().equals(accountId)).toList();
    }

    static EventMeta meta(SpecificRecord event) {
        return (EventMeta) event.get(0);
    }
}
