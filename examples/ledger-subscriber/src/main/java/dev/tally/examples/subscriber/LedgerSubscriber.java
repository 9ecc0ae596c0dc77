package dev.tally.examples.subscriber;

import dev.tally.schemas.EventHeaders;
import dev.tally.schemas.SkippingLedgerEventDeserializer;
import dev.tally.schemas.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints every event of {@code tally.ledger.events}, from the first one, and keeps following the
 * topic until Ctrl-C. Usage: {@code LedgerSubscriber [bootstrap-servers]} (else
 * {@code KAFKA_BOOTSTRAP_SERVERS}, else the local stack's {@code localhost:19092}).
 */
public final class LedgerSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerSubscriber.class);

    private LedgerSubscriber() {
    }

    public static void main(String[] args) {
        SubscriberSettings settings = SubscriberSettings.from(args, System.getenv());
        LOG.info("Reading {} from {} as group {}", Topics.LEDGER_EVENTS.name(), settings.bootstrapServers(), settings.groupId());
        EventFormatter formatter = new EventFormatter();
        // Unknown event types come out as null values instead of failing the poll.
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(settings.consumerProperties(),
                new StringDeserializer(), new SkippingLedgerEventDeserializer())) {
            stopOnShutdown(consumer, Thread.currentThread());
            consumer.subscribe(List.of(Topics.LEDGER_EVENTS.name()));
            while (true) {
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.value() == null) {
                        LOG.info("Skipped a {} at partition {} offset {}: a type this build of tally-schemas does not know",
                                EventHeaders.eventType(record.headers()).orElse("record without type header"),
                                record.partition(), record.offset());
                    } else {
                        System.out.println(formatter.describe(record.value()));
                    }
                }
            }
        } catch (WakeupException stopping) {
            LOG.info("Stopped");
        }
    }

    /** Ctrl-C wakes the poll, and waits for the consumer to leave its group cleanly before the JVM exits. */
    private static void stopOnShutdown(KafkaConsumer<?, ?> consumer, Thread pollingThread) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.wakeup();
            try {
                pollingThread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ledger-subscriber-shutdown"));
    }
}
