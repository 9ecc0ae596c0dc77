package dev.tally.command.writemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Partial loss of the write model's state (issue 11, 3): the accounts store has lost an account
 * (a changelog that lost records, a restore from the wrong backup) that the account directory still
 * knows. Opening that id again must not start a second history at sequence 1.
 */
class PartialStateLossTest {

    private final WriteModelDriver model = new WriteModelDriver();

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void an_account_the_store_lost_but_the_directory_knows_is_never_opened_again() {
        model.send(TestCommands.open("c1", "alice"));
        model.send(TestCommands.deposit("c2", "alice", "30.00"));
        model.events.readRecordsToList();
        model.results.readRecordsToList();
        KeyValueStore<String, AccountSnapshot> accounts = model.driver.getKeyValueStore(WriteModelTopology.ACCOUNTS_STORE);
        accounts.delete("alice");

        model.send(TestCommands.open("c3", "alice"));

        assertTrue(model.events.isEmpty(), "no second AccountOpened at sequence 1");
        CommandResult answer = model.results.readValue();
        assertEquals("account-exists", answer.rejection().code());
        assertEquals(null, accounts.get("alice"), "nothing written over the lost state");
    }

    @Test
    void an_id_nobody_has_seen_still_opens() {
        model.send(TestCommands.open("c1", "bob"));

        assertEquals(1, model.events.readRecordsToList().size());
        assertEquals(null, model.results.readValue().rejection());
    }
}
