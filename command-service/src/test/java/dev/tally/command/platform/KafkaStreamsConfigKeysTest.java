package dev.tally.command.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A misspelt {@code quarkus.kafka-streams.*} key is only a start-up warning, and the setting silently
 * does not apply: {@code quarkus.kafka-streams.security-protocol} once left Kafka Streams on
 * PLAINTEXT while every other client of the service spoke SASL_SSL. Every such key in
 * application.properties must be one the extension's own configuration model declares.
 */
class KafkaStreamsConfigKeysTest {

    private static final String PREFIX = "quarkus.kafka-streams.";

    @Test
    void every_quarkus_kafka_streams_key_is_one_the_extension_knows() throws Exception {
        Set<String> known = knownProperties();
        assertFalse(known.isEmpty(), "the extension's configuration model was read");
        Properties properties = new Properties();
        try (Reader in = new java.io.InputStreamReader(resource("application.properties"), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        List<String> unknown = new ArrayList<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (key.startsWith(PREFIX) && !known.contains(key)) {
                unknown.add(key);
            }
        }
        assertEquals(List.of(), unknown, "keys Quarkus would ignore; known ones: " + known);
    }

    private static Set<String> knownProperties() throws Exception {
        Set<String> known = new TreeSet<>();
        var models = KafkaStreamsConfigKeysTest.class.getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        while (models.hasMoreElements()) {
            try (InputStream in = models.nextElement().openStream()) {
                collect(new ObjectMapper().readTree(in), known);
            }
        }
        known.removeIf(key -> !key.startsWith(PREFIX));
        return known;
    }

    private static void collect(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            JsonNode path = node.get("path");
            if (path != null && path.isObject() && path.hasNonNull("property")) {
                into.add(path.get("property").asText());
            }
            node.forEach(child -> collect(child, into));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, into));
        }
    }

    private static InputStream resource(String name) {
        InputStream in = KafkaStreamsConfigKeysTest.class.getClassLoader().getResourceAsStream(name);
        assertNotNull(in, name);
        return in;
    }
}
