package dev.tally.command.writemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.events.AccountOpened;
import dev.tally.events.FundsDeposited;
import dev.tally.events.SubjectForgotten;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.schemas.Topics;
import dev.tally.schemas.personal.PersonalDataCipher;
import dev.tally.schemas.personal.PublishedKey;
import dev.tally.schemas.personal.SealedText;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Personal values leave the write model sealed with the account's key, and forgetting destroys the key. */
class PersonalDataTopologyTest {

    private static final String SECRET = "Zoë Ünïcode rent \uD83C\uDFE0 flat 3";

    private final WriteModelDriver model = new WriteModelDriver();
    private final TestOutputTopic<String, byte[]> keys = model.driver.createOutputTopic(Topics.SUBJECT_KEYS.name(),
            new StringDeserializer(), new ByteArrayDeserializer());

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void personal_values_are_sealed_in_the_appended_events_and_open_with_the_published_key() {
        open("zoe", Map.of("name", SECRET));
        model.send(deposit("d1", "zoe", SECRET));

        List<SpecificRecord> revealed = model.events.readValuesToList();
        AccountOpened opened = (AccountOpened) model.sealedEvents.get(0);
        FundsDeposited deposited = (FundsDeposited) model.sealedEvents.get(1);
        assertTrue(SealedText.isSealed(opened.getMetadata().get("name")), opened.toString());
        assertTrue(SealedText.isSealed(deposited.getReference()), deposited.toString());
        assertFalse(model.sealedEvents.toString().contains("Zo"), "no clear text in any appended event");
        assertEquals(1000, deposited.getAmountMinor(), "money stays in clear");
        assertEquals("zoe", opened.getOwner(), "the subject's id stays in clear");
        assertEquals(SECRET, ((AccountOpened) revealed.get(0)).getMetadata().get("name"));
        assertEquals(SECRET, ((FundsDeposited) revealed.get(1)).getReference());

        List<TestRecord<String, byte[]>> published = keys.readRecordsToList();
        assertEquals(1, published.size(), "one key per account, published once");
        assertEquals("zoe", published.get(0).key());
        PublishedKey key = PublishedKey.decode(published.get(0).value());
        assertEquals("zoe", key.owner());
        assertEquals(SealedText.parse(deposited.getReference()).orElseThrow().keyId(), key.keyId());
    }

    @Test
    void a_transfer_credit_is_sealed_with_the_receivers_key() {
        open("ann", Map.of());
        open("bob", Map.of());
        model.send(deposit("d1", "ann", null));
        model.send(CommandMessage.from(new AccountCommand.SendTransfer(TestCommands.ctx("t1", "ann"), "t1", "bob",
                "1.00", SECRET, Map.of("note", SECRET), null), null, null));
        model.events.readValuesToList();
        TransferDebited debited = find(TransferDebited.class);
        TransferCredited credited = find(TransferCredited.class);
        assertNotNull(debited, "debited");
        assertNotNull(credited, "credited");
        String annKey = SealedText.parse(debited.getReference()).orElseThrow().keyId();
        String bobKey = SealedText.parse(credited.getReference()).orElseThrow().keyId();
        assertFalse(annKey.equals(bobKey), "each side seals the reference with its own key");
        assertFalse(model.sealedEvents.toString().contains("Zo"));
    }

    @Test
    void forgetting_destroys_the_key_appends_one_event_and_a_second_forget_appends_nothing() {
        open("zoe", Map.of("name", SECRET));
        model.send(deposit("d1", "zoe", SECRET));
        model.events.readValuesToList();
        keys.readRecordsToList();

        model.send(forget("f1", "zoe", "zoe"));
        CommandResult first = model.answerTo("f1");
        assertTrue(first.accepted());
        assertEquals(1, first.events().size());
        List<SpecificRecord> after = model.events.readValuesToList();
        SubjectForgotten forgotten = (SubjectForgotten) after.get(0);
        assertEquals("zoe", forgotten.getOwner());
        assertNotNull(forgotten.getKeyId());
        List<TestRecord<String, byte[]>> tombstones = keys.readRecordsToList();
        assertEquals(1, tombstones.size());
        assertNull(tombstones.get(0).value(), "the published key is replaced by a tombstone");
        assertTrue(model.key(forgotten.getKeyId()).isEmpty(), "the key is gone from the store");

        // Every earlier personal value now reads as erased; the money is as it was.
        FundsDeposited deposited = (FundsDeposited) model.sealedEvents.get(1);
        assertEquals(PersonalDataCipher.ERASED, PersonalDataCipher.reveal(deposited.getReference(), model::key));
        assertEquals("10.00", model.account("zoe").balance());

        model.send(forget("f2", "zoe", "zoe"));
        CommandResult second = model.answerTo("f2");
        assertTrue(second.accepted());
        assertTrue(second.events().isEmpty(), "nothing more to destroy, nothing appended");
        assertTrue(model.events.readValuesToList().isEmpty());
        assertTrue(keys.readRecordsToList().isEmpty());

        // The account goes on: new text for it is not kept at all.
        model.send(deposit("d2", "zoe", SECRET));
        FundsDeposited later = (FundsDeposited) model.events.readValuesToList().get(0);
        assertEquals(PersonalDataCipher.ERASED, later.getReference());
        assertEquals("20.00", model.account("zoe").balance());
        assertTrue(keys.readRecordsToList().isEmpty(), "no new key for a forgotten subject");
    }

    @Test
    void forgetting_names_the_owner_and_refuses_another_owners_account() {
        open("zoe", Map.of());
        model.send(forget("f1", "zoe", "mallory"));
        CommandResult refused = model.answerTo("f1");
        assertFalse(refused.accepted());
        assertEquals("owner-mismatch", refused.rejection().code());
        model.send(forget("f2", "nobody", "nobody"));
        assertEquals("account-not-found", model.answerTo("f2").rejection().code());
    }

    private void open(String accountId, Map<String, String> metadata) {
        model.send(CommandMessage.from(new AccountCommand.OpenAccount(TestCommands.ctx("open-" + accountId, accountId),
                accountId, "USD", null, metadata), null, null));
    }

    private static CommandMessage deposit(String commandId, String accountId, String reference) {
        return CommandMessage.from(new AccountCommand.DepositFunds(TestCommands.ctx(commandId, accountId), commandId,
                "10.00", reference, Map.of()), null, null);
    }

    private static CommandMessage forget(String commandId, String accountId, String owner) {
        return CommandMessage.from(new AccountCommand.ForgetSubject(TestCommands.ctx(commandId, accountId), owner),
                null, null);
    }

    private <T> T find(Class<T> type) {
        return model.sealedEvents.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }
}
