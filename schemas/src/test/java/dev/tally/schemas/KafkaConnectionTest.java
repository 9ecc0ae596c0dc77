package dev.tally.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    @Test
    void takesTheSecuritySettingsProductionSetsAndSkipsBlankOnes() {
        Map<String, String> config = Map.of(
                "kafka.bootstrap.servers", "tally-kafka-bootstrap:9093",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "kafka.ssl.truststore.type", "PEM",
                "kafka.ssl.truststore.location", "/etc/tally/kafka-ca/ca.crt",
                "kafka.ssl.keystore.location", " ",
                "kafka.unrelated", "x");

        Map<String, Object> settings = KafkaConnection.settings(name -> Optional.ofNullable(config.get(name)));

        assertEquals(Map.of(
                "bootstrap.servers", "tally-kafka-bootstrap:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", "/etc/tally/kafka-ca/ca.crt"), settings);
    }

    @Test
    void refusesToStartWithoutBootstrapServers() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KafkaConnection.settings(name -> Optional.empty()));
        assertEquals("kafka.bootstrap.servers (environment: KAFKA_BOOTSTRAP_SERVERS) is not set", e.getMessage());
    }

    @Test
    void aClientMayAddSettingsButNotChangeTheConnection() {
        Map<String, Object> connection = Map.of("bootstrap.servers", "b:9092", "security.protocol", "SSL");

        assertEquals(Map.of("bootstrap.servers", "b:9092", "security.protocol", "SSL", "acks", "all"),
                KafkaConnection.client(connection, Map.of("acks", "all")));
        assertThrows(IllegalArgumentException.class,
                () -> KafkaConnection.client(connection, Map.of("security.protocol", "PLAINTEXT")));
    }
}
