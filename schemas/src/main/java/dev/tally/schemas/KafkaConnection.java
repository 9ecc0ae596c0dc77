package dev.tally.schemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How every Tally client reaches the brokers: the bootstrap servers plus the transport security
 * production needs (TLS, SASL/SCRAM). One list, so that each producer, consumer and admin client of
 * every service connects the same way; a setting added here reaches all of them.
 *
 * <p>Each setting is read as {@code kafka.<setting>}, which MicroProfile Config also looks up as the
 * environment variable {@code KAFKA_<SETTING>} (for example {@code KAFKA_SECURITY_PROTOCOL}). Unset
 * or blank settings are left to Kafka's defaults (PLAINTEXT, no SASL).
 */
public final class KafkaConnection {

    /** The client settings taken from configuration, in Kafka's own names. */
    public static final List<String> SETTINGS = List.of(
            "bootstrap.servers",
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.truststore.type",
            "ssl.truststore.location",
            "ssl.truststore.password",
            "ssl.keystore.type",
            "ssl.keystore.location",
            "ssl.keystore.password",
            "ssl.key.password",
            "ssl.endpoint.identification.algorithm");

    private KafkaConnection() {
    }

    /**
     * The connection settings found through {@code config} (a property name to its value), ready to
     * be merged into a client's own settings.
     *
     * @throws IllegalStateException when no bootstrap servers are configured
     */
    public static Map<String, Object> settings(Function<String, Optional<String>> config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String setting : SETTINGS) {
            config.apply("kafka." + setting).filter(value -> !value.isBlank())
                    .ifPresent(value -> settings.put(setting, value.trim()));
        }
        if (!settings.containsKey("bootstrap.servers")) {
            throw new IllegalStateException("kafka.bootstrap.servers (environment: KAFKA_BOOTSTRAP_SERVERS) is not set");
        }
        return Map.copyOf(settings);
    }

    /** A client's settings: the connection first, then its own (which may not override the connection). */
    public static Map<String, Object> client(Map<String, Object> connection, Map<String, Object> own) {
        Map<String, Object> merged = new LinkedHashMap<>(connection);
        own.forEach((key, value) -> {
            if (connection.containsKey(key) && !connection.get(key).equals(value)) {
                throw new IllegalArgumentException(key + " is a connection setting; configure it as kafka." + key);
            }
            merged.put(key, value);
        });
        return merged;
    }
}
