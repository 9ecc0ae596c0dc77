package dev.tally.schemas;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The connection every Kafka client of a Quarkus service uses, as a bean to inject: bootstrap servers
 * and, in production, TLS and SASL/SCRAM, read from MicroProfile Config (see {@link KafkaConnection}
 * for the settings and their environment variables). The command and projection services inject it;
 * a client outside Quarkus uses {@link KafkaConnection} directly and needs neither CDI nor MicroProfile Config.
 */
@ApplicationScoped
public class KafkaClientSettings {

    private final Map<String, Object> connection =
            KafkaConnection.settings(name -> ConfigProvider.getConfig().getOptionalValue(name, String.class));

    /** A client's own settings on top of the shared connection. */
    public Map<String, Object> client(Map<String, Object> own) {
        return KafkaConnection.client(connection, own);
    }

    public Map<String, Object> connection() {
        return connection;
    }
}
