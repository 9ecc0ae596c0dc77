package dev.tally.schemas.personal;

import dev.tally.schemas.KafkaConnection;
import dev.tally.schemas.SkippingLedgerEventDeserializer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The subscriber's value deserializer with personal values revealed (issue 16), for a consumer the
 * operators trust with the keys: given {@value #MASTER_KEY} in the consumer's configuration, it
 * reads {@code tally.ledger.subject-keys} (over the consumer's own connection settings) and opens
 * every sealed value, or gives {@link PersonalDataCipher#ERASED} once its subject is forgotten.
 * Without a master key it hands out the sealed text as it is, never an error, exactly like
 * {@link SkippingLedgerEventDeserializer}, whose rules for unknown types it keeps.
 *
 * <pre>
 * value.deserializer=dev.tally.schemas.personal.RevealingLedgerEventDeserializer
 * tally.master-key=…            # and Read on tally.ledger.subject-keys for the consumer's user
 * </pre>
 */
public final class RevealingLedgerEventDeserializer implements Deserializer<SpecificRecord> {

    /** The consumer configuration entry holding the master key (base64). */
    public static final String MASTER_KEY = MasterKey.PROPERTY;

    private final SkippingLedgerEventDeserializer events = new SkippingLedgerEventDeserializer();
    private Function<String, Optional<SubjectKey>> keys;
    private KeyRing ring;

    /** Configured by Kafka from the consumer's settings ({@link #configure}). */
    public RevealingLedgerEventDeserializer() {
    }

    /** Reveals with the given keys (a key id to its key, empty once forgotten). */
    public RevealingLedgerEventDeserializer(Function<String, Optional<SubjectKey>> keys) {
        this.keys = keys;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object master = configs.get(MASTER_KEY);
        if (keys != null || master == null || master.toString().isBlank()) {
            return; // no key: the sealed text is handed out as it is
        }
        Map<String, Object> connection = KafkaConnection.settings(name -> Optional.ofNullable(
                configs.get(name.substring("kafka.".length()))).map(Object::toString));
        ring = new KeyRing(connection, MasterKey.from(Optional.of(master.toString())), Duration.ofSeconds(10)).start();
        keys = ring;
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        return reveal(events.deserialize(topic, data));
    }

    @Override
    public SpecificRecord deserialize(String topic, Headers headers, byte[] data) {
        return reveal(events.deserialize(topic, headers, data));
    }

    private SpecificRecord reveal(SpecificRecord event) {
        return event == null || keys == null ? event : SealedEvents.reveal(event, keys);
    }

    @Override
    public void close() {
        if (ring != null) {
            ring.close();
        }
    }
}
