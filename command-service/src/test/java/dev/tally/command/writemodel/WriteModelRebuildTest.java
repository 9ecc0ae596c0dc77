package dev.tally.command.writemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.command.ledger.AccountCommand;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** DESIGN decision 1 for the write side: its state store is a cache of the events topic, nothing more. */
class WriteModelRebuildTest {

    @Test
    void the_state_rebuilt_from_the_published_events_equals_the_live_state_store() {
        try (WriteModelDriver model = new WriteModelDriver()) {
            TopologyTestDriver driver = model.driver;
            TestOutputTopic<String, SpecificRecord> events = model.events;
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
                model.send(message);
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

            // Every transfer id the live model claimed is claimed again, with the same terms and outcome.
            KeyValueStore<String, TransferRecord> transfers = driver.getKeyValueStore(WriteModelTopology.TRANSFERS_STORE);
            Map<String, String> liveTransfers = new HashMap<>();
            transfers.all().forEachRemaining(entry -> liveTransfers.put(entry.key, describe(entry.value)));
            Map<String, String> rebuiltTransfers = new HashMap<>();
            rebuild.result().transfers().forEach((id, record) -> rebuiltTransfers.put(id, describe(record)));
            assertEquals(java.util.Set.of("t-1", "t-3"), liveTransfers.keySet(), "t-2 was refused up front");
            assertEquals(liveTransfers, rebuiltTransfers);
            assertEquals(liveKeys.keySet(), rebuild.result().idempotencyRecords().keySet());
            assertEquals("90.00", rebuild.result().idempotencyRecords().get(IdempotencyRecord.storeKey("alice", "k-1"))
                    .firstResult().amount(), "a restored key answers what the command did");
        }
    }

    private static String describe(TransferRecord record) {
        return String.join("|", record.status(), record.terms().toString(), String.valueOf(record.requestedAt()),
                record.outcome().status(), String.valueOf(record.outcome().amountMinor()),
                new java.util.TreeMap<>(record.outcome().versions()).toString(), record.outcome().sourceOwner(),
                String.valueOf(record.outcome().settledAt()));
    }
}
