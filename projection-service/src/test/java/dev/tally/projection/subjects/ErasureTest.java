package dev.tally.projection.subjects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.SubjectForgotten;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.projection.accounts.AccountsProjectionWriter;
import dev.tally.projection.audit.AuditProjection;
import dev.tally.projection.runner.BatchWriter;
import dev.tally.projection.runner.LogOf;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.runner.TestDatabase;
import dev.tally.projection.statements.StatementsProjectionWriter;
import dev.tally.projection.transfers.TransfersProjection;
import dev.tally.schemas.personal.SealedEvents;
import dev.tally.schemas.personal.SealedText;
import dev.tally.schemas.personal.SubjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SubjectForgotten in the read models (issue 16): every value sealed with the forgotten key, in
 * every table, becomes the marker, whether it came in the same batch or long before; money, ids, who
 * did what, the other side's values and text from before sealing stay; and the rows come out the
 * same however the log is cut into batches or whichever partition is read first. Real PostgreSQL,
 * the projections' own writers.
 */
class ErasureTest {

    private static final String ERASED = "[erased]";
    private static final List<Projection> ALL = List.of(new AccountsProjectionWriter(),
            new StatementsProjectionWriter(), new TransfersProjection(), new AuditProjection());

    private final SubjectKey alices = SubjectKey.generate();
    private final SubjectKey bobs = SubjectKey.generate();

    // Account a (alice, partition 0): opened, a deposit from before sealing (plain), a sealed deposit,
    // a hold, a transfer to b, the forget, then a deposit the write model already erased.
    private final List<SpecificRecord> a = List.of(
            SealedEvents.seal(opened("a", "alice"), alices),
            deposit("a", 2, 100, 100, "legacy text of alice"),
            SealedEvents.seal(deposit("a", 3, 200, 300, "Ada Lovelace"), alices),
            SealedEvents.seal(held("a", 4), alices),
            SealedEvents.seal(debited("a", 5), alices),
            forgotten("a", 6, alices),
            deposit("a", 7, 300, 570, ERASED));
    // Account b (bob, partition 1): opened, the credit of a's transfer, sealed with bob's own key.
    private final List<SpecificRecord> b = List.of(
            SealedEvents.seal(opened("b", "bob"), bobs),
            SealedEvents.seal(credited("b", 2), bobs));

    @BeforeEach
    void emptyTables() {
        TestDatabase.truncateAll();
    }

    @Test
    void forgetting_erases_what_the_key_sealed_in_every_read_model_and_keeps_the_rest() {
        LogOf log = new LogOf();
        write(log.append(0, a.subList(0, 5).toArray(SpecificRecord[]::new)), Map.of(), Map.of(0, 5L));
        write(log.append(1, b.toArray(SpecificRecord[]::new)), Map.of(0, 5L), Map.of(0, 5L, 1, 2L));
        assertTrue(dump().contains(SealedText.prefixOf(alices.keyId())), "alice's sealed values are stored");

        write(log.append(0, a.subList(5, 7).toArray(SpecificRecord[]::new)), Map.of(0, 5L, 1, 2L), Map.of(0, 7L, 1, 2L));

        assertFalse(dump().contains(SealedText.prefixOf(alices.keyId())), "no table holds a value of the forgotten key");
        assertEquals(List.of(Map.of("name", ERASED, "version", "7", "balance_minor", "570")),
                TestDatabase.rows("select metadata->>'name' as name, version, balance_minor from accounts where account_id = 'a'"));
        assertEquals(List.of(Map.of("sequence", "2", "reference", "legacy text of alice", "amount_minor", "100"),
                        Map.of("sequence", "3", "reference", ERASED, "amount_minor", "200"),
                        Map.of("sequence", "5", "reference", ERASED, "amount_minor", "-30"),
                        Map.of("sequence", "7", "reference", ERASED, "amount_minor", "300")),
                TestDatabase.rows("select sequence, reference, amount_minor from entries where account_id = 'a' order by sequence"),
                "text from before sealing is not the key's and stays; the money stays");
        assertEquals(List.of(Map.of("reference", ERASED, "note", ERASED, "amount_minor", "10")), TestDatabase.rows(
                "select reference, metadata->>'note' as note, amount_minor from holds where account_id = 'a'"));
        assertEquals(List.of(Map.of("reference", ERASED, "status", "COMPLETED", "amount_minor", "30")),
                TestDatabase.rows("select reference, status, amount_minor from transfers"), "the sender's reference");
        assertEquals(List.of(Map.of("event_type", "SubjectForgotten", "owner", "alice", "actor", "teller")), TestDatabase.rows(
                "select event_type, details->>'owner' as owner, actor from audit_log where event_type = 'SubjectForgotten'"));

        String bobsRows = TestDatabase.rows("select string_agg(t::text, '|') as rows from (select * from entries"
                + " where account_id = 'b') t").get(0).get("rows")
                + TestDatabase.rows("select metadata::text as m from accounts where account_id = 'b'").get(0).get("m");
        assertTrue(bobsRows.contains(SealedText.prefixOf(bobs.keyId())), "bob's own copies are bob's: " + bobsRows);
    }

    @Test
    void the_rows_are_the_same_however_the_log_is_batched_and_whichever_partition_comes_first() {
        LogOf oneBatch = new LogOf();
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(oneBatch.append(0, a.toArray(SpecificRecord[]::new)));
        all.addAll(oneBatch.append(1, b.toArray(SpecificRecord[]::new)));
        write(all, Map.of(), Map.of(0, 7L, 1, 2L));
        String together = dump();

        TestDatabase.truncateAll();
        LogOf apart = new LogOf();
        List<ConsumerRecord<String, byte[]>> first = apart.append(0, a.toArray(SpecificRecord[]::new));
        List<ConsumerRecord<String, byte[]>> second = apart.append(1, b.toArray(SpecificRecord[]::new));
        write(second, Map.of(), Map.of(1, 2L)); // bob's credit before alice's debit
        for (int i = 0; i < first.size(); i++) { // then alice's events one batch each
            write(first.subList(i, i + 1), i == 0 ? Map.of(1, 2L) : Map.of(0, (long) i, 1, 2L),
                    Map.of(0, (long) i + 1, 1, 2L));
        }

        assertEquals(together, dump());
    }

    private static void write(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> from,
                              Map<Integer, Long> to) {
        for (Projection projection : ALL) {
            new BatchWriter(projection, TestDatabase.dataSource(), null).write(records, from, to);
        }
    }

    /** Every row of every read-model table with personal text, in a fixed order, as one string. */
    private static String dump() {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("accounts", "entries", "holds", "transfers", "audit_log")) {
            TestDatabase.rows("select t::text as row from " + table + " t order by t::text")
                    .forEach(r -> all.append(table).append(' ').append(r.get("row")).append('\n'));
        }
        return all.toString();
    }

    private static AccountOpened opened(String account, String owner) {
        return AccountOpened.newBuilder().setMeta(meta(account, 1)).setOwner(owner).setCurrency("USD").setScale(2)
                .setOverdraftLimitMinor(0).setMetadata(Map.of("name", owner + "'s full name")).build();
    }

    private static FundsDeposited deposit(String account, long sequence, long amount, long balanceAfter,
                                          String reference) {
        return FundsDeposited.newBuilder().setMeta(meta(account, sequence)).setTransactionId(account + "-t" + sequence)
                .setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter).setReference(reference)
                .setMetadata(Map.of()).build();
    }

    private static FundsHeld held(String account, long sequence) {
        return FundsHeld.newBuilder().setMeta(meta(account, sequence)).setHoldId("h1").setAmountMinor(10)
                .setCurrency("USD").setExpiresAt(Instant.parse("2026-11-23T08:00:00Z")).setHeldAfterMinor(10)
                .setReference("hotel").setMetadata(Map.of("note", "room 12")).build();
    }

    private static TransferDebited debited(String account, long sequence) {
        return TransferDebited.newBuilder().setMeta(meta(account, sequence, "x1")).setTransferId("x1").setToAccountId("b")
                .setAmountMinor(30).setCurrency("USD").setBalanceAfterMinor(270).setReference("rent")
                .setMetadata(Map.of("note", "flat 4B")).setReversalOf(null).build();
    }

    private static TransferCredited credited(String account, long sequence) {
        return TransferCredited.newBuilder().setMeta(meta(account, sequence, "x1")).setTransferId("x1").setFromAccountId("a")
                .setAmountMinor(30).setCurrency("USD").setBalanceAfterMinor(30).setReference("rent")
                .setMetadata(Map.of("note", "flat 4B")).setReversalOf(null).build();
    }

    private static SubjectForgotten forgotten(String account, long sequence, SubjectKey key) {
        return SubjectForgotten.newBuilder().setMeta(meta(account, sequence)).setOwner("alice").setKeyId(key.keyId())
                .build();
    }

    private static EventMeta meta(String account, long sequence) {
        return meta(account, sequence, "c" + sequence);
    }

    /** Bob's events come after alice's, as a credit comes after its debit. */
    private static EventMeta meta(String account, long sequence, String correlation) {
        return EventMeta.newBuilder().setEventId(account + "-e" + sequence).setAccountId(account).setSequence(sequence)
                .setOccurredAt(Instant.parse("2026-11-22T08:00:00Z").plusSeconds(sequence + (account.equals("b") ? 60 : 0)))
                .setCommandId("c" + sequence).setCorrelationId(correlation).setCausationId(null).setActor("teller").setIdempotencyKey(null)
                .setRequestHash(null).build();
    }
}
