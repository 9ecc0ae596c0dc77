package dev.tally.command.writemodel;

import dev.tally.schemas.LedgerEventSerializer;
import dev.tally.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * commands → decide → events + results. Written with the Processor API because one command fans
 * out to two topics and needs the account's state, all in the same task.
 */
@ApplicationScoped
public class WriteModelTopology {

    public static final String ACCOUNTS_STORE = "accounts";
    static final String EVENTS_SINK = "ledger-events";
    static final String RESULTS_SINK = "command-results";

    @Produces
    public Topology topology() {
        return build();
    }

    public static Topology build() {
        Topology topology = new Topology();
        topology.addSource("commands", Serdes.String().deserializer(),
                new JsonSerde<>(CommandMessage.class).deserializer(), Topics.COMMANDS.name());
        topology.addProcessor("decide", CommandProcessor::new, "commands");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNTS_STORE),
                Serdes.String(), new JsonSerde<>(AccountSnapshot.class)), "decide");
        topology.addSink(EVENTS_SINK, Topics.LEDGER_EVENTS.name(), new StringSerializer(),
                new LedgerEventSerializer(), "decide");
        topology.addSink(RESULTS_SINK, Topics.COMMAND_RESULTS.name(), new StringSerializer(),
                new JsonSerde<>(CommandResult.class).serializer(), "decide");
        return topology;
    }
}
