package dev.tally.command.writemodel;

import dev.tally.schemas.LedgerEventSerializer;
import dev.tally.schemas.Topics;
import dev.tally.schemas.personal.KeyWrapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import dev.tally.schemas.tracing.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * commands → decide → events + results. Written with the Processor API because one command fans
 * out to two topics and needs the account's state, all in the same task.
 */
@ApplicationScoped
public class WriteModelTopology {

    public static final String ACCOUNTS_STORE = "accounts";
    public static final String IDEMPOTENCY_STORE = "idempotency-keys";
    public static final String TRANSFERS_STORE = "transfers";
    public static final String HOLDS_STORE = "holds";
    /** Every deposit and withdrawal by account and transaction id, with what is reversed of it. */
    public static final String MOVEMENTS_STORE = "movements";
    public static final String HOLD_EXPIRIES_STORE = "hold-expiries";
    /** How often the write model looks for holds that are due. */
    public static final Duration DEFAULT_HOLD_EXPIRY_CHECK = Duration.ofSeconds(1);
    static final String COMMANDS_SINK = "saga-steps";
    static final String EVENTS_SINK = "ledger-events";
    static final String RESULTS_SINK = "command-results";

    @Produces
    public Topology topology(@ConfigProperty(name = "tally.idempotency.window", defaultValue = "24h")
                             Duration idempotencyWindow,
                             @ConfigProperty(name = "tally.holds.expiry-check", defaultValue = "1s")
                             Duration holdExpiryCheck, OpenTelemetry telemetry, WriteModelRecovery recovery,
                             @ConfigProperty(name = "tally.master-key") java.util.Optional<String> masterKey) {
        // Kafka Streams starts with this topology: never before its stores hold what the log says.
        WriteModelRecovery.Outcome outcome = recovery.ensureRestored();
        org.jboss.logging.Logger.getLogger(WriteModelTopology.class).infof("Write model state: %s", outcome);
        return build(idempotencyWindow, holdExpiryCheck, telemetry, dev.tally.schemas.personal.MasterKey.from(masterKey));
    }

    /** The topology without tracing, with a master key of its own (for TopologyTestDriver). */
    public static Topology build(Duration idempotencyWindow) {
        return build(idempotencyWindow, new KeyWrapping(KeyWrapping.generateMasterKey()));
    }

    public static Topology build(Duration idempotencyWindow, KeyWrapping master) {
        return build(idempotencyWindow, DEFAULT_HOLD_EXPIRY_CHECK, OpenTelemetry.noop(), master);
    }

    public static Topology build(Duration idempotencyWindow, Duration holdExpiryCheck, OpenTelemetry telemetry,
                                 KeyWrapping master) {
        TraceHeaders tracing = new TraceHeaders(telemetry, "dev.tally.command.writemodel");
        Topology topology = new Topology();
        topology.addSource("commands", Serdes.String().deserializer(),
                new JsonSerde<>(CommandMessage.class).deserializer(), Topics.COMMANDS.name());
        topology.addProcessor("decide", () -> new CommandProcessor(idempotencyWindow, holdExpiryCheck, tracing, master),
                "commands");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNTS_STORE),
                Serdes.String(), new JsonSerde<>(AccountSnapshot.class)), "decide");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IDEMPOTENCY_STORE),
                Serdes.String(), new JsonSerde<>(IdempotencyRecord.class)), "decide");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRANSFERS_STORE),
                Serdes.String(), new JsonSerde<>(TransferRecord.class)), "decide");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HOLDS_STORE),
                Serdes.String(), new JsonSerde<>(HoldRecord.class)), "decide");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HOLD_EXPIRIES_STORE),
                Serdes.String(), Serdes.String()), "decide");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MOVEMENTS_STORE),
                Serdes.String(), new JsonSerde<>(MovementRecord.class)), "decide");
        topology.addSink(EVENTS_SINK, Topics.LEDGER_EVENTS.name(), new StringSerializer(),
                new LedgerEventSerializer(), "decide");
        // Saga steps go back into the commands topic, keyed by the account they address.
        topology.addSink(COMMANDS_SINK, Topics.COMMANDS.name(), new StringSerializer(),
                new JsonSerde<>(CommandMessage.class).serializer(), "decide");
        AccountDirectory.addTo(topology, "decide");
        SubjectKeys.addTo(topology, "decide");
        topology.addSink(RESULTS_SINK, Topics.COMMAND_RESULTS.name(), new StringSerializer(),
                new JsonSerde<>(CommandResult.class).serializer(), "decide");
        return topology;
    }
}
