package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountCommand.TargetAccount;
import dev.tally.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Every account's currency and closed flag, known to every instance: a compacted topic the write
 * model writes when an account opens or closes, read back as a global store. A transfer's source
 * partition consults it to refuse up front what the target would refuse anyway. It may lag by a
 * moment; then the target refuses and the saga refunds, which is slower but just as correct.
 */
public final class AccountDirectory {

    static final String STORE = "account-directory";
    static final String SINK = "account-directory-sink";

    private AccountDirectory() {
    }

    /**
     * The accounts of {@code owner} this instance's copy of the directory knows, by a scan of it
     * (forgetting is rare, and the directory is local). Entries written before the directory kept
     * owners have none and are not found.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the write model starts
     */
    public static List<String> accountsOf(KafkaStreams streams, String owner) {
        ReadOnlyKeyValueStore<String, TargetAccount> store = streams.store(StoreQueryParameters.fromNameAndType(STORE,
                QueryableStoreTypes.keyValueStore()));
        List<String> accounts = new ArrayList<>();
        try (KeyValueIterator<String, TargetAccount> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value != null && owner.equals(entry.value.owner())) {
                    accounts.add(entry.key);
                }
            });
        }
        return accounts;
    }

    static void addTo(Topology topology, String writerName) {
        JsonSerde<TargetAccount> entries = new JsonSerde<>(TargetAccount.class);
        topology.addSink(SINK, Topics.ACCOUNT_DIRECTORY.name(), new StringSerializer(), entries.serializer(), writerName);
        // Global stores are restored from their source topic, so the store itself keeps no changelog.
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                        entries).withLoggingDisabled(),
                "account-directory-source", Serdes.String().deserializer(), entries.deserializer(),
                Topics.ACCOUNT_DIRECTORY.name(), "account-directory-updater", Updater::new);
    }

    /** Keeps the global store equal to the topic. */
    private static final class Updater implements Processor<String, TargetAccount, Void, Void> {

        private KeyValueStore<String, TargetAccount> store;

        @Override
        public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, TargetAccount> record) {
            store.put(record.key(), record.value());
        }
    }
}
