package dev.tally.command.writemodel;

import static dev.tally.command.writemodel.TestCommands.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** DESIGN decision 1 for the write side: its state store is a cache of the events topic, nothing more. */
class WriteModelRebuildTest {

    @Test
    void the_state_rebuilt_from_the_published_events_equals_the_live_state_store() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "rebuild-test");
        try (TopologyTestDriver driver = new TopologyTestDriver(WriteModelTopology.build(Duration.ofHours(24)), config)) {
            TestInputTopic<String, CommandMessage> commands = driver.createInputTopic(Topics.COMMANDS.name(),
                    new StringSerializer(), new JsonSerde<>(CommandMessage.class).serializer());
            TestOutputTopic<String, SpecificRecord> events = driver.createOutputTopic(Topics.LEDGER_EVENTS.name(),
                    new StringDeserializer(), new LedgerEventDeserializer());
            for (CommandMessage message : java.util.List.of(
                    TestCommands.open("c1", "alice"), TestCommands.open("c2", "bob"), TestCommands.open("c3", "eve", "EUR"),
                    TestCommands.withKey(TestCommands.deposit("c4", "alice", "90.00"), "k-1", "h-1"),
                    TestCommands.transfer("c5", "t-1", "alice", "bob", "30.00"),
                    TestCommands.transfer("c6", "t-2", "alice", "eve", "10.00"),
                    TestCommands.transfer("c7", "t-3", "alice", "ghost", "5.00"),
                    TestCommands.withdraw("c8", "bob", "1.00"),
                    CommandMessage.from(new AccountCommand.FreezeAccount(TestCommands.ctx("c9", "bob"), "audit"), null, null),
                    CommandMessage.from(new AccountCommand.CloseAccount(TestCommands.ctx("c10", "eve")), null, null),
                    TestCommands.withdraw("c11", "alice", "1000.00"))) {
                commands.pipeInput(message.accountId(), message, T0);
            }

            WriteModelRebuild rebuild = new WriteModelRebuild();
            events.readValuesToList().forEach(rebuild::apply);

            KeyValueStore<String, AccountSnapshot> accounts = driver.getKeyValueStore(WriteModelTopology.ACCOUNTS_STORE);
            Map<String, AccountSnapshot> live = new HashMap<>();
            accounts.all().forEachRemaining(entry -> live.put(entry.key, entry.value));
            KeyValueStore<String, IdempotencyRecord> keys = driver.getKeyValueStore(WriteModelTopology.IDEMPOTENCY_STORE);
            Map<String, String> liveKeys = new HashMap<>();
            keys.all().forEachRemaining(entry -> liveKeys.put(entry.key, entry.value.requestHash()));

            assertEquals(3, live.size());
            assertEquals(live, rebuild.result().accounts());
            assertEquals(liveKeys, rebuild.result().idempotencyKeys());
        }
    }
}
