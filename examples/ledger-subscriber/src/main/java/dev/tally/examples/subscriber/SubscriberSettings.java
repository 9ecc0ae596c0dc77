package dev.tally.examples.subscriber;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Where to read from and as whom: the first argument, then the environment, then the local stack. */
record SubscriberSettings(String bootstrapServers, String groupId) {

    /** The broker {@code ./run} starts (not 9092, so that a Kafka already running is left alone). */
    static final String LOCAL_STACK_BOOTSTRAP = "localhost:19092";
    static final String DEFAULT_GROUP = "tally-example-ledger-subscriber";

    static SubscriberSettings from(String[] args, Map<String, String> env) {
        String bootstrap = args.length > 0 && !args[0].isBlank()
                ? args[0]
                : env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", LOCAL_STACK_BOOTSTRAP);
        return new SubscriberSettings(bootstrap, env.getOrDefault("TALLY_SUBSCRIBER_GROUP", DEFAULT_GROUP));
    }

    Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Its own group: every subscriber gets every event, independently of Tally's projections.
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Events are appended in Kafka transactions; without this a reader could see the events of a
        // command that was then aborted (and retried), i.e. events that never happened.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The topic is the whole history: a new subscriber starts from the first event.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return properties;
    }
}
