package dev.tally.examples.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriberSettingsTest {

    private static final Map<String, String> ENV = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka.internal:9092");

    @Test
    void the_broker_comes_from_the_argument_then_the_environment_then_the_local_stack() {
        assertEquals("other:9093", SubscriberSettings.from(new String[] {"other:9093"}, ENV).bootstrapServers());
        assertEquals("kafka.internal:9092", SubscriberSettings.from(new String[0], ENV).bootstrapServers());
        assertEquals("localhost:19092", SubscriberSettings.from(new String[0], Map.of()).bootstrapServers());
    }

    @Test
    void it_reads_only_committed_transactions_from_the_first_event_in_a_group_of_its_own() {
        var properties = SubscriberSettings.from(new String[0], Map.of()).consumerProperties();

        assertEquals("read_committed", properties.get("isolation.level"));
        assertEquals("earliest", properties.get("auto.offset.reset"));
        assertEquals("tally-example-ledger-subscriber", properties.get("group.id"));
    }
}
