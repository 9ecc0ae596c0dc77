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

    WriteModelDriver() {
        this(java.time.Instant.now());
    }

    /** With the wall clock (which the hold expiry check runs on) starting at {@code wallClock}. */
    WriteModelDriver(java.time.Instant wallClock) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-model-test");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(WriteModelTopology.build(Duration.ofHours(24)), config, wallClock);
        commands = driver.createInputTopic(Topics.COMMANDS.name(), new StringSerializer(),
                new JsonSerde<>(CommandMessage.class).serializer());
        events = driver.createOutputTopic(Topics.LEDGER_EVENTS.name(), new StringDeserializer(),
                new LedgerEventDeserializer());
        results = driver.createOutputTopic(Topics.COMMAND_RESULTS.name(), new StringDeserializer(),
                new JsonSerde<>(CommandResult.class).deserializer());
    }

    /** Pipes a command in, keyed by its account (or its transfer id), as the HTTP edge would. */
    void send(CommandMessage message) {
        commands.pipeInput(message.key(), message, TestCommands.T0);
    }

    @Override
    public void close() {
        driver.close();
    }
}
