package dev.tally.command.platform;

import dev.tally.schemas.KafkaConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The connection every Kafka client of this service uses: bootstrap servers and, in production,
 * TLS and SASL/SCRAM (see {@link KafkaConnection} for the settings and their environment variables).
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
