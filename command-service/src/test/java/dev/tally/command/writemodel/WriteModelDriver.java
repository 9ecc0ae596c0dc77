package dev.tally.command.writemodel;

import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.Topics;
import java.time.Duration;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The write model's topology under {@code TopologyTestDriver}, with its three topics, for the tests of this package. */
final class WriteModelDriver implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<String, CommandMessage> commands;
    final TestOutputTopic<String, SpecificRecord> events;
    final TestOutputTopic<String, CommandResult> results;
    /** The master key of this write model, so that tests read events as a key-holding reader does. */
    final dev.tally.schemas.personal.KeyWrapping master =
            new dev.tally.schemas.personal.KeyWrapping(dev.tally.schemas.personal.KeyWrapping.generateMasterKey());
    /** Every event as appended (personal values sealed), in the order {@link #events} read them. */
    final java.util.List<SpecificRecord> sealedEvents = new java.util.ArrayList<>();

    WriteModelDriver() {
        this(java.time.Instant.now());
    }

    /** With the wall clock (which the hold expiry check runs on) starting at {@code wallClock}. */
    WriteModelDriver(java.time.Instant wallClock) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-model-test");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(WriteModelTopology.build(Duration.ofHours(24), master), config, wallClock);
        commands = driver.createInputTopic(Topics.COMMANDS.name(), new StringSerializer(),
                new JsonSerde<>(CommandMessage.class).serializer());
        // Tests of money read events revealed, as the query service shows them; sealedEvents keeps them as sent.
        LedgerEventDeserializer plain = new LedgerEventDeserializer();
        events = driver.createOutputTopic(Topics.LEDGER_EVENTS.name(), new StringDeserializer(),
                new org.apache.kafka.common.serialization.Deserializer<SpecificRecord>() {
                    @Override
                    public SpecificRecord deserialize(String topic, byte[] bytes) {
                        return revealed(plain.deserialize(topic, bytes));
                    }

                    @Override
                    public SpecificRecord deserialize(String topic, org.apache.kafka.common.header.Headers headers,
                                                      byte[] bytes) {
                        return revealed(plain.deserialize(topic, headers, bytes));
                    }
                });
        results = driver.createOutputTopic(Topics.COMMAND_RESULTS.name(), new StringDeserializer(),
                new JsonSerde<>(CommandResult.class).deserializer());
    }

    private SpecificRecord revealed(SpecificRecord sealed) {
        sealedEvents.add(sealed);
        return dev.tally.schemas.personal.SealedEvents.reveal(sealed, this::key);
    }

    /** The key with this id, if an account of this write model holds it (none once forgotten). */
    java.util.Optional<dev.tally.schemas.personal.SubjectKey> key(String keyId) {
        var store = driver.<String, byte[]>getKeyValueStore(SubjectKeys.STORE);
        try (var all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (new String(entry.value, java.nio.charset.StandardCharsets.UTF_8).startsWith("v1\n")) {
                    var published = dev.tally.schemas.personal.PublishedKey.decode(entry.value);
                    if (published.keyId().equals(keyId)) {
                        return java.util.Optional.of(published.unwrap(master, entry.key));
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** Pipes a command in, keyed by its account (or its transfer id), as the HTTP edge would. */
    void send(CommandMessage message) {
        commands.pipeInput(message.key(), message, TestCommands.T0);
    }

    /** An account as the write model's store holds it now, amounts formatted as answers show them. */
    CommandResult.AccountView account(String accountId) {
        return CommandResult.AccountView.of(accountId,
                driver.<String, AccountSnapshot>getKeyValueStore(WriteModelTopology.ACCOUNTS_STORE).get(accountId));
    }

    /** Everything in a state store, for comparing live state with a rebuild. */
    static <V> java.util.Map<String, V> contents(org.apache.kafka.streams.state.KeyValueStore<String, V> store) {
        java.util.Map<String, V> all = new java.util.HashMap<>();
        try (var entries = store.all()) {
            entries.forEachRemaining(entry -> all.put(entry.key, entry.value));
        }
        return all;
    }

    /** Every answer to {@code commandId} among the results written since the last read (others are dropped). */
    java.util.List<CommandResult> answersTo(String commandId) {
        java.util.List<CommandResult> mine = results.readKeyValuesToList().stream()
                .filter(kv -> kv.key.equals(commandId)).map(kv -> kv.value).toList();
        org.junit.jupiter.api.Assertions.assertFalse(mine.isEmpty(), () -> "no answer to " + commandId);
        return mine;
    }

    /** The one answer to {@code commandId}. */
    CommandResult answerTo(String commandId) {
        java.util.List<CommandResult> all = answersTo(commandId);
        org.junit.jupiter.api.Assertions.assertEquals(1, all.size(), () -> "one answer to " + commandId + ": " + all);
        return all.get(0);
    }

    /** The last answer to {@code commandId} (a transfer hears PENDING or POSTED first, then its outcome). */
    CommandResult lastAnswerTo(String commandId) {
        java.util.List<CommandResult> all = answersTo(commandId);
        return all.get(all.size() - 1);
    }

    @Override
    public void close() {
        driver.close();
    }
}
