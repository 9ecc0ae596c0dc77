package dev.tally.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferRefunded;
import dev.tally.projection.accounts.AccountsProjectionWriter;
import dev.tally.projection.audit.AuditProjection;
import dev.tally.projection.daily.DailyBalancesProjection;
import dev.tally.projection.history.AccountHistoryProjection;
import dev.tally.projection.runner.BatchWriter;
import dev.tally.projection.runner.LogOf;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.runner.TestDatabase;
import dev.tally.projection.statements.StatementsProjectionWriter;
import dev.tally.projection.transfers.TransfersProjection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever text a sender put in an event, every projection stores it and no account is parked
 * (issue 11, 2b): given events carrying each class of odd text, then rows holding that text, mapped
 * only where PostgreSQL cannot hold it. Real PostgreSQL, through the runner's own batch writer.
 */
class OddTextTest {

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");

    record Text(String name, String sent, String stored) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Text> classes() {
        String longText = incompressible(20_000);
        return Stream.of(
                new Text("NUL", "rent\u0000paid\u0000", "rent\uFFFDpaid\uFFFD"),
                new Text("C0 controls", "a\u0001\u0007\t\n\r\u001B\u001Fz", "a\u0001\u0007\t\n\r\u001B\u001Fz"),
                new Text("DEL and C1", "a\u007F\u0080\u0085\u009Fz", "a\u007F\u0080\u0085\u009Fz"),
                // Avro's encoder already writes a lone surrogate as '?': that is what the log holds.
                new Text("lone surrogates", "x\uD800y\uDC00z", "x?y?z"),
                new Text("noncharacters", "\uFFFF\uFFFE\uFDD0", "\uFFFF\uFFFE\uFDD0"),
                new Text("bidi and zero-width", "\u202Eevil\u202C\u200F\u2066\u200B\uFEFF",
                        "\u202Eevil\u202C\u200F\u2066\u200B\uFEFF"),
                new Text("emoji and combining", "💸👩‍👩‍👧 e\u0301 \uD83C\uDDFA\uD83C\uDDF8", "💸👩‍👩‍👧 e\u0301 \uD83C\uDDFA\uD83C\uDDF8"),
                new Text("JSON and SQL syntax", "\"}'); drop table entries; --\\u0000", "\"}'); drop table entries; --\\u0000"),
                new Text("very long", longText, longText));
    }

    private static final List<Projection> PROJECTIONS = List.of(new AccountsProjectionWriter(),
            new StatementsProjectionWriter(), new AccountHistoryProjection(), new DailyBalancesProjection(),
            new TransfersProjection(), new AuditProjection());

    @ParameterizedTest(name = "{0}")
    @MethodSource("classes")
    void given_a_sender_writes_odd_text_then_every_projection_stores_it_and_parks_nothing(Text text) {
        TestDatabase.truncateAll();
        LogOf log = new LogOf();
        // The sender's text, on the sender's account and on the receiver's: a transfer's reference.
        List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
        records.addAll(log.append(0,
                opened("sender", 1, text.sent(), Map.of(text.sent(), text.sent())),
                deposited("sender", 2, text.sent()),
                debited("sender", 3, "t-1", "receiver", text.sent())));
        records.addAll(log.append(1,
                opened("receiver", 1, "bob", Map.of()),
                credited("receiver", 2, "t-1", "sender", text.sent()),
                frozen("receiver", 3, text.sent())));
        records.addAll(log.append(0,
                debited("sender", 4, "t-2", "receiver", "x"),
                refunded("sender", 5, "t-2", "receiver", text.sent()),
                held("sender", 6, text.sent())));

        for (Projection projection : PROJECTIONS) {
            new BatchWriter(projection, TestDatabase.dataSource(), null).writeOrPark(records, Map.of(), LogOf.nextOffsets(records));
        }

        assertEquals(List.of(), TestDatabase.rows("select projection, account_id, error from dead_letters"));
        assertEquals(List.of(Map.of("positions", "12")), TestDatabase.rows(
                "select count(*) as positions from projection_account_positions where version = 3 or version = 6"));
        String s = text.stored();
        assertEquals(List.of(Map.of("owner", s, "value", s)), TestDatabase.rows(
                "select owner, metadata->>" + literal(s) + " as value from accounts where account_id = 'sender'"));
        assertEquals(List.of(Map.of("reference", s)), TestDatabase.rows(
                "select reference from entries where account_id = 'receiver' and type = 'TRANSFER_IN'"));
        assertEquals(List.of(Map.of("reference", s), Map.of("reference", s)), TestDatabase.rows(
                "select reference from entries where account_id = 'sender' and sequence in (2, 3)"
                        + " order by sequence"));
        assertEquals(List.of(Map.of("reference", s, "reason", "-"), Map.of("reference", "x", "reason", s)),
                TestDatabase.rows("select reference, coalesce(reason, '-') as reason from transfers"
                        + " order by transfer_id"));
        assertEquals(List.of(Map.of("owner", s)), TestDatabase.rows(
                "select owner from account_history where account_id = 'sender' and sequence = 5"));
        assertEquals(List.of(Map.of("reason", s)), TestDatabase.rows(
                "select details->>'reason' as reason from audit_log where account_id = 'receiver' and sequence = 3"));
        assertEquals(List.of(Map.of("days", "2")), TestDatabase.rows("select count(*) as days from daily_balances"));
        assertEquals(List.of(Map.of("reference", s, "value", s)), TestDatabase.rows(
                "select reference, metadata->>" + literal(s) + " as value from holds where account_id = 'sender'"));
    }

    /** A string as an SQL literal, U+0000 aside (never in a stored value, by design). */
    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Random CJK and astral letters: a long string PostgreSQL cannot compress below any page-size limit. */
    private static String incompressible(int length) {
        Random random = new Random(11);
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.appendCodePoint(random.nextBoolean() ? 0x4E00 + random.nextInt(20_000) : 0x1F300 + random.nextInt(700));
        }
        return text.toString();
    }

    private static EventMeta meta(String account, long sequence, String actor) {
        return EventMeta.newBuilder().setEventId(account + "-e" + sequence).setAccountId(account).setSequence(sequence)
                .setOccurredAt(AT).setCommandId("c-" + account + sequence).setCorrelationId("corr")
                .setCausationId(null).setActor(actor).setIdempotencyKey(null).setRequestHash(null).build();
    }

    private static SpecificRecord opened(String account, long sequence, String owner, Map<String, String> metadata) {
        return AccountOpened.newBuilder().setMeta(meta(account, sequence, "teller")).setOwner(owner).setCurrency("USD")
                .setScale(2).setOverdraftLimitMinor(0).setMetadata(metadata).build();
    }

    private static SpecificRecord deposited(String account, long sequence, String reference) {
        return FundsDeposited.newBuilder().setMeta(meta(account, sequence, "teller")).setTransactionId("tx-" + sequence)
                .setAmountMinor(1000).setCurrency("USD").setBalanceAfterMinor(1000).setReference(reference)
                .setMetadata(Map.of("note", reference)).build();
    }

    private static SpecificRecord debited(String account, long sequence, String transferId, String to, String reference) {
        return TransferDebited.newBuilder().setMeta(meta(account, sequence, "sender")).setTransferId(transferId)
                .setToAccountId(to).setAmountMinor(100).setCurrency("USD").setBalanceAfterMinor(1000 - 100 * (sequence - 2))
                .setReference(reference).setMetadata(Map.of(reference, "v")).build();
    }

    private static SpecificRecord credited(String account, long sequence, String transferId, String from, String reference) {
        return TransferCredited.newBuilder().setMeta(meta(account, sequence, "sender")).setTransferId(transferId)
                .setFromAccountId(from).setAmountMinor(100).setCurrency("USD").setBalanceAfterMinor(100)
                .setReference(reference).setMetadata(Map.of("k", reference)).build();
    }

    private static SpecificRecord refunded(String account, long sequence, String transferId, String to, String detail) {
        return TransferRefunded.newBuilder().setMeta(meta(account, sequence, "system")).setTransferId(transferId)
                .setToAccountId(to).setAmountMinor(100).setCurrency("USD").setBalanceAfterMinor(900)
                .setReasonCode("account-frozen").setReasonDetail(detail).build();
    }

    private static SpecificRecord held(String account, long sequence, String reference) {
        return FundsHeld.newBuilder().setMeta(meta(account, sequence, "sender")).setHoldId("h-1").setAmountMinor(100)
                .setCurrency("USD").setExpiresAt(AT.plusSeconds(3600)).setHeldAfterMinor(100).setReference(reference)
                .setMetadata(Map.of(reference, reference)).build();
    }

    private static SpecificRecord frozen(String account, long sequence, String reason) {
        return AccountFrozen.newBuilder().setMeta(meta(account, sequence, "teller")).setReason(reason).build();
    }
}
