package dev.tally.projection.subjects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.SubjectForgotten;
import dev.tally.events.TransferDebited;
import dev.tally.projection.accounts.AccountsProjectionWriter;
import dev.tally.projection.audit.AuditProjection;
import dev.tally.projection.runner.BatchWriter;
import dev.tally.projection.runner.LogOf;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.runner.TestDatabase;
import dev.tally.projection.statements.StatementsProjectionWriter;
import dev.tally.projection.transfers.TransfersProjection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SubjectForgotten in the read models (issue 16): every personal value written for the account,
 * in every table, becomes the marker, whether it came in the same batch or long before; money, ids
 * and who-did-what stay. Real PostgreSQL, the projections' own writers.
 */
class ErasureTest {

    private static final String SECRET = "Ada Lovelace";
    private static final String OTHER = "Grace Hopper";
    private static final String ERASED = "[erased]";
    private static final List<Projection> ALL = List.of(new AccountsProjectionWriter(),
            new StatementsProjectionWriter(), new TransfersProjection(), new AuditProjection());

    private final LogOf log = new LogOf();

    @BeforeEach
    void emptyTables() {
        TestDatabase.truncateAll();
    }

    @Test
    void forgetting_erases_the_subjects_text_in_every_read_model_and_keeps_the_money() {
        List<ConsumerRecord<String, byte[]>> before = log.append(0, opened("a", "alice"), deposit("a", 2),
                held("a", 3), debited("a", 4), opened("b", "bob"), deposit("b", 2));
        List<ConsumerRecord<String, byte[]>> forget = log.append(0, forgotten("a", 5, "alice"));
        writeAll(before, Map.of(), Map.of(0, 6L));
        assertTrue(textRows().contains(SECRET), "the rows hold the text before forgetting");

        writeAll(forget, Map.of(0, 6L), Map.of(0, 7L));

        assertEquals(List.of(Map.of("metadata", "{\"name\": \"[erased]\"}", "version", "5", "balance_minor", "70")),
                TestDatabase.rows("select metadata::text, version, balance_minor from accounts where account_id = 'a'"));
        assertEquals(List.of(Map.of("reference", ERASED, "metadata", "{\"note\": \"[erased]\"}", "amount_minor", "100"),
                        Map.of("reference", ERASED, "metadata", "{\"note\": \"[erased]\"}", "amount_minor", "-30")),
                TestDatabase.rows("select reference, metadata::text, amount_minor from entries where account_id = 'a'"
                        + " order by sequence"));
        assertEquals(List.of(Map.of("reference", ERASED, "metadata", "{\"note\": \"[erased]\"}", "amount_minor", "10")),
                TestDatabase.rows("select reference, metadata::text, amount_minor from holds where account_id = 'a'"));
        assertEquals(List.of(Map.of("reference", ERASED, "amount_minor", "30")),
                TestDatabase.rows("select reference, amount_minor from transfers"));
        List<Map<String, String>> audit = TestDatabase.rows(
                "select event_type, actor, details->>'reference' as reference, details->>'amountMinor' as amount"
                        + " from audit_log where account_id = 'a' and details ? 'reference' order by sequence");
        assertEquals(3, audit.size());
        audit.forEach(row -> assertEquals(ERASED, row.get("reference"), row.toString()));
        audit.forEach(row -> assertEquals("teller", row.get("actor")));
        assertEquals(List.of(Map.of("event_type", "SubjectForgotten", "owner", "alice")), TestDatabase.rows(
                "select event_type, details->>'owner' as owner from audit_log where event_type = 'SubjectForgotten'"));

        String rows = textRows();
        assertEquals(-1, rows.indexOf(SECRET), "no table holds the forgotten text");
        assertTrue(rows.contains(OTHER), "the other subject's text is not touched");
    }

    @Test
    void a_forget_in_the_same_batch_as_the_text_erases_it_as_a_rebuild_does() {
        List<ConsumerRecord<String, byte[]>> all = log.append(0, opened("a", "alice"), deposit("a", 2),
                held("a", 3), debited("a", 4), forgotten("a", 5, "alice"));

        writeAll(all, Map.of(), Map.of(0, 5L));

        assertEquals(-1, textRows().indexOf(SECRET));
        assertEquals(List.of(Map.of("reference", ERASED)), TestDatabase.rows(
                "select reference from entries where account_id = 'a' and sequence = 2"));
    }

    private static void writeAll(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> from,
                                 Map<Integer, Long> to) {
        for (Projection projection : ALL) {
            new BatchWriter(projection, TestDatabase.dataSource(), null).write(records, from, to);
        }
    }

    /** Every row of every table with text of a person, as one string. */
    private static String textRows() {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("accounts", "entries", "holds", "transfers", "audit_log")) {
            TestDatabase.rows("select t::text as row from " + table + " t").forEach(r -> all.append(r.get("row")));
        }
        return all.toString();
    }

    private static SpecificRecord opened(String account, String owner) {
        return AccountOpened.newBuilder().setMeta(meta(account, 1)).setOwner(owner).setCurrency("USD").setScale(2)
                .setOverdraftLimitMinor(0).setMetadata(Map.of("name", text(account))).build();
    }

    private static SpecificRecord deposit(String account, long sequence) {
        return FundsDeposited.newBuilder().setMeta(meta(account, sequence)).setTransactionId(account + "-t" + sequence)
                .setAmountMinor(100).setCurrency("USD").setBalanceAfterMinor(100).setReference(text(account))
                .setMetadata(Map.of("note", text(account))).build();
    }

    private static SpecificRecord held(String account, long sequence) {
        return FundsHeld.newBuilder().setMeta(meta(account, sequence)).setHoldId("h1").setAmountMinor(10)
                .setCurrency("USD").setExpiresAt(Instant.parse("2026-11-23T08:00:00Z")).setHeldAfterMinor(10)
                .setReference(text(account)).setMetadata(Map.of("note", text(account))).build();
    }

    private static SpecificRecord debited(String account, long sequence) {
        return TransferDebited.newBuilder().setMeta(meta(account, sequence)).setTransferId("x1").setToAccountId("b")
                .setAmountMinor(30).setCurrency("USD").setBalanceAfterMinor(70).setReference(text(account))
                .setMetadata(Map.of("note", text(account))).setReversalOf(null).build();
    }

    private static SpecificRecord forgotten(String account, long sequence, String owner) {
        return SubjectForgotten.newBuilder().setMeta(meta(account, sequence)).setOwner(owner).setKeyId(null).build();
    }

    /** The text a person wrote: plain, as events from before sealing are, so that it is findable. */
    private static String text(String account) {
        return account.equals("a") ? SECRET : OTHER;
    }

    private static EventMeta meta(String account, long sequence) {
        return EventMeta.newBuilder().setEventId(account + "-e" + sequence).setAccountId(account).setSequence(sequence)
                .setOccurredAt(Instant.parse("2026-11-22T08:00:00Z")).setCommandId("c" + sequence)
                .setCorrelationId("c" + sequence).setCausationId(null).setActor("teller").setIdempotencyKey(null)
                .setRequestHash(null).build();
    }
}
