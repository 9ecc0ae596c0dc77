package dev.tally.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tally.events.FundsWithdrawn;
import dev.tally.schemas.golden.GoldenSamples;
import dev.tally.schemas.upcasting.Upcaster;
import dev.tally.schemas.upcasting.Upcasters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * FundsWithdrawn v2 added balanceBeforeMinor (a long, default -1); v3 made it a nullable long. A v1
 * event must arrive with the computed value; a v2 or v3 event with what its producer wrote, and
 * -1 is a real balance on an overdraft account, so the upcaster is chosen by the writer's version.
 */
class UpcastingTest {

    private static final String TOPIC = "t";

    @Test
    void a_v1_withdrawal_is_read_with_the_balance_before_it_computed_from_what_v1_wrote() throws IOException {
        FundsWithdrawn read = (FundsWithdrawn) new LedgerEventDeserializer().deserialize(TOPIC, golden("v1"));

        assertEquals(read.getBalanceAfterMinor() + read.getAmountMinor(), read.getBalanceBeforeMinor());
        assertEquals(12_345L, read.getBalanceBeforeMinor());
    }

    @Test
    void a_v1_withdrawal_into_the_overdraft_is_computed_as_well() {
        byte[] v1 = written(1, -2_001, 2_000, null);

        assertEquals(-1L, ((FundsWithdrawn) new LedgerEventDeserializer().deserialize(TOPIC, v1)).getBalanceBeforeMinor());
    }

    @Test
    void a_v2_withdrawal_with_a_real_balance_before_of_minus_one_is_read_as_minus_one() {
        byte[] v2 = written(2, -2_001, 2_000, -1L);

        FundsWithdrawn read = (FundsWithdrawn) new LedgerEventDeserializer().deserialize(TOPIC, v2);

        assertEquals(-1L, read.getBalanceBeforeMinor(), "v2's -1 is a balance, not v2's default standing for unknown");
        assertEquals(-2_001, read.getBalanceAfterMinor());
    }

    @Test
    void the_upcaster_is_chosen_by_the_writers_fingerprint_never_by_the_value() {
        // A tripwire in place of the v1 upcaster: whatever it touches gets a value no producer wrote.
        Upcaster tripwire = new Upcaster() {
            public String type() { return "FundsWithdrawn"; }
            public int fromVersion() { return 1; }
            public SpecificRecord upcast(SpecificRecord event) {
                return FundsWithdrawn.newBuilder((FundsWithdrawn) event).setBalanceBeforeMinor(Long.MIN_VALUE).build();
            }
        };
        LedgerEventDeserializer reader = new LedgerEventDeserializer(EventTypes.CURRENT, SchemaHistory.shipped(),
                new Upcasters(List.of(tripwire)));

        assertEquals(Long.MIN_VALUE, ((FundsWithdrawn) reader.deserialize(TOPIC, written(1, -2_001, 2_000, null)))
                .getBalanceBeforeMinor(), "a v1 event goes through the v1 upcaster");
        assertEquals(-1L, ((FundsWithdrawn) reader.deserialize(TOPIC, written(2, -2_001, 2_000, -1L)))
                .getBalanceBeforeMinor(), "a v2 event holding -1 does not");
        assertEquals(-1L, ((FundsWithdrawn) reader.deserialize(TOPIC, today(-2_001, 2_000, -1L)))
                .getBalanceBeforeMinor(), "nor does a v3 event holding -1");
        assertNull(((FundsWithdrawn) reader.deserialize(TOPIC, today(-2_001, 2_000, null)))
                .getBalanceBeforeMinor(), "nor a v3 event holding null: only v1 is upcast");
    }

    @Test
    void without_the_upcaster_a_v1_withdrawal_reads_as_unknown_never_as_a_number() throws IOException {
        LedgerEventDeserializer noUpcasting = new LedgerEventDeserializer(EventTypes.CURRENT, SchemaHistory.shipped(),
                Upcasters.NONE);

        assertNull(((FundsWithdrawn) noUpcasting.deserialize(TOPIC, golden("v1"))).getBalanceBeforeMinor());
    }

    @Test
    void a_v3_withdrawal_is_read_as_written_without_upcasting() {
        FundsWithdrawn v3 = (FundsWithdrawn) GoldenSamples.of("FundsWithdrawn").orElseThrow();

        assertEquals(v3, new LedgerEventDeserializer().deserialize(TOPIC, new LedgerEventSerializer().serialize(TOPIC, v3)));
        assertEquals(-1L, ((FundsWithdrawn) new LedgerEventDeserializer().deserialize(TOPIC, today(-2_001, 2_000, -1L)))
                .getBalanceBeforeMinor());
    }

    private static byte[] golden(String version) throws IOException {
        try (InputStream in = UpcastingTest.class.getResourceAsStream("/golden/FundsWithdrawn/" + version + ".bin")) {
            return in.readAllBytes();
        }
    }

    /** Today's encoding (v3) of an overdraft withdrawal. */
    private static byte[] today(long balanceAfter, long amount, Long balanceBefore) {
        FundsWithdrawn sample = (FundsWithdrawn) GoldenSamples.of("FundsWithdrawn").orElseThrow();
        return new LedgerEventSerializer().serialize(TOPIC, FundsWithdrawn.newBuilder(sample)
                .setBalanceAfterMinor(balanceAfter).setAmountMinor(amount).setBalanceBeforeMinor(balanceBefore).build());
    }

    /** A withdrawal as a producer of release {@code version} wrote it, with that release's schema. */
    static byte[] written(int version, long balanceAfter, long amount, Long balanceBefore) {
        Schema writer = SchemaEdits.released("FundsWithdrawn", version);
        GenericRecord meta = new GenericRecordBuilder(writer.getField("meta").schema())
                .set("eventId", "7d0c4a52-0000-4000-8000-000000000004").set("accountId", "overdrawn")
                .set("sequence", 4L).set("occurredAt", 1_767_225_600_000_000L).set("commandId", "cmd-w")
                .set("correlationId", "cmd-w").set("actor", "teller-1").build();
        GenericRecordBuilder withdrawal = new GenericRecordBuilder(writer).set("meta", meta)
                .set("transactionId", "tx-w").set("amountMinor", amount).set("currency", "USD")
                .set("balanceAfterMinor", balanceAfter);
        if (balanceBefore != null) {
            withdrawal.set("balanceBeforeMinor", balanceBefore);
        }
        return encode(writer, withdrawal.build());
    }

    private static byte[] encode(Schema writer, GenericRecord event) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
