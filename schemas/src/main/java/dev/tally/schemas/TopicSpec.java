package dev.tally.schemas;

import java.util.Map;

/**
 * A topic's name and the settings it must be created with. Creating topics is the platform's job
 * (Strimzi {@code KafkaTopic} in production, the local stack here); both read these specs so that
 * the retention of the source of truth cannot drift between environments.
 */
public record TopicSpec(String name, int defaultPartitions, Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }
}
