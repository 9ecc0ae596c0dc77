package dev.tally.command.writemodel;

import dev.tally.schemas.Topics;
import dev.tally.schemas.personal.KeyWrapping;
import dev.tally.schemas.personal.PublishedKey;
import dev.tally.schemas.personal.SubjectKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Each account's personal-data key, held by the account's own task (issue 16, docs/design.md §8):
 * created with the account's first event needing one, kept wrapped with the master key in a store
 * whose changelog is compacted quickly, and published wrapped to {@code tally.ledger.subject-keys}
 * for the readers, all in the command's exactly-once transaction. Forgetting replaces the key with a
 * marker holding no key material (so a second forget is recognised) and publishes a tombstone.
 */
final class SubjectKeys {

    static final String STORE = "subject-keys";
    static final String SINK = "subject-keys-sink";
    private static final String FORGOTTEN = "forgotten\n";

    /** The changelog keeps no superseded key for long: a forgotten key's record is compacted away. */
    static final Map<String, String> CHANGELOG = Map.of(
            "cleanup.policy", "compact",
            "segment.ms", String.valueOf(60L * 60 * 1000),
            "min.cleanable.dirty.ratio", "0.01",
            "delete.retention.ms", "60000");

    /** What the store holds for an account: its key, or the fact that its subject was forgotten. */
    sealed interface Entry {
        record Active(PublishedKey key) implements Entry {
        }

        record Forgotten(String keyId) implements Entry {
        }
    }

    private final KeyValueStore<String, byte[]> store;
    private final KeyWrapping master;
    private final Publisher publisher;

    interface Publisher {
        /** Forwards the wrapped key (null: a tombstone) to the subject keys topic. */
        void publish(String accountId, byte[] value);
    }

    SubjectKeys(KeyValueStore<String, byte[]> store, KeyWrapping master, Publisher publisher) {
        this.store = store;
        this.master = master;
        this.publisher = publisher;
    }

    static void addTo(Topology topology, String writerName) {
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.ByteArray()).withLoggingEnabled(CHANGELOG), writerName);
        topology.addSink(SINK, Topics.SUBJECT_KEYS.name(), new StringSerializer(), new ByteArraySerializer(),
                writerName);
    }

    Entry get(String accountId) {
        byte[] bytes = store.get(accountId);
        if (bytes == null) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith(FORGOTTEN)) {
            String keyId = text.substring(FORGOTTEN.length());
            return new Entry.Forgotten(keyId.isEmpty() ? null : keyId);
        }
        return new Entry.Active(PublishedKey.decode(bytes));
    }

    /** The account's key, made now if it has none; null once its subject is forgotten. */
    SubjectKey keyFor(String accountId, String owner) {
        return switch (get(accountId)) {
            case Entry.Active active -> active.key().unwrap(master, accountId);
            case Entry.Forgotten forgotten -> null;
            case null -> {
                SubjectKey fresh = SubjectKey.generate();
                PublishedKey published = PublishedKey.wrap(master, accountId, owner, fresh);
                store.put(accountId, published.encode());
                publisher.publish(accountId, published.encode());
                yield fresh;
            }
        };
    }

    /** Destroys the key; returns its id (null if the account never had one). */
    String forget(String accountId) {
        String keyId = switch (get(accountId)) {
            case Entry.Active active -> active.key().keyId();
            case Entry.Forgotten forgotten -> forgotten.keyId();
            case null -> null;
        };
        store.put(accountId, forgottenMarker(keyId));
        publisher.publish(accountId, null);
        return keyId;
    }

    /** What the store keeps for a forgotten account: no key material, only the destroyed key's id. */
    static byte[] forgottenMarker(String keyId) {
        return (FORGOTTEN + (keyId == null ? "" : keyId)).getBytes(StandardCharsets.UTF_8);
    }

    boolean forgotten(String accountId) {
        return get(accountId) instanceof Entry.Forgotten;
    }
}
