package dev.tally.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.events.FundsWithdrawn;
import dev.tally.schemas.golden.GoldenSamples;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.junit.jupiter.api.Test;

/**
 * What a subscriber still reading with FundsWithdrawn v2 (balanceBeforeMinor a plain long) sees once
 * Tally writes v3 and later (a nullable long; v4 adds reversalOf), as docs/subscribers.md states it:
 * the fingerprint Tally writes with is unknown to it until it gets that version's file; given the
 * file, Avro resolves every event Tally writes (balanceBefore always a number) into its long, and
 * fails on a null, which only a foreign producer could write.
 */
class OldReadersOfFundsWithdrawnTest {

    private static final String TOPIC = "t";
    private final Schema v2 = SchemaEdits.released("FundsWithdrawn", 2);
    /** The version Tally writes today. */
    private final Schema v3 = SchemaEdits.released("FundsWithdrawn", 4);

    @Test
    void a_reader_without_the_v3_file_does_not_know_the_fingerprint_of_a_v3_event() {
        BinaryMessageDecoder<GenericRecord> oldReader = new BinaryMessageDecoder<>(GenericData.get(), v2);
        oldReader.addSchema(SchemaEdits.released("FundsWithdrawn", 1));

        assertThrows(MissingSchemaException.class, () -> oldReader.decode(written(12_345L)));
    }

    @Test
    void a_v2_reader_given_the_v3_file_reads_the_numbers_tally_writes_negative_ones_included() throws Exception {
        BinaryMessageDecoder<GenericRecord> oldReader = new BinaryMessageDecoder<>(GenericData.get(), v2);
        oldReader.addSchema(v3);

        assertEquals(12_345L, oldReader.decode(written(12_345L)).get("balanceBeforeMinor"));
        assertEquals(-1L, oldReader.decode(written(-1L)).get("balanceBeforeMinor"));
    }

    @Test
    void a_v2_reader_given_the_v3_file_fails_on_a_null_balance_before() {
        BinaryMessageDecoder<GenericRecord> oldReader = new BinaryMessageDecoder<>(GenericData.get(), v2);
        oldReader.addSchema(v3);

        assertThrows(AvroTypeException.class, () -> oldReader.decode(written(null)));
    }

    private static byte[] written(Long balanceBefore) {
        FundsWithdrawn sample = (FundsWithdrawn) GoldenSamples.of("FundsWithdrawn").orElseThrow();
        return new LedgerEventSerializer().serialize(TOPIC,
                FundsWithdrawn.newBuilder(sample).setBalanceBeforeMinor(balanceBefore).build());
    }
}
