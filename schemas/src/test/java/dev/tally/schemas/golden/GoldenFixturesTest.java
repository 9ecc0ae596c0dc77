package dev.tally.schemas.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.schemas.EventTypes;
import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.SchemaHistory;
import dev.tally.schemas.SchemaVersion;
import dev.tally.schemas.upcasting.Upcasters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Committed bytes of every released version ({@code src/test/resources/golden/<Type>/v<N>.bin}):
 * today's code must read each of them, and today's encoding of the current version must not move
 * by a single byte unless someone releases a new version on purpose (see schemas/README.md).
 */
class GoldenFixturesTest {

    private static final String TOPIC = "tally.ledger.events";

    private final SchemaHistory history = SchemaHistory.shipped();
    private final LedgerEventDeserializer todaysReader = new LedgerEventDeserializer();

    @Test
    void every_current_event_type_has_a_golden_sample() {
        for (Schema type : EventTypes.CURRENT) {
            assertTrue(GoldenSamples.of(type.getName()).isPresent(), "no sample of " + type.getName() + " in GoldenSamples");
        }
    }

    @TestFactory
    Stream<DynamicTest> every_released_version_has_a_fixture_that_todays_deserializer_reads_as_it_was_written() {
        return history.all().stream().map(version -> DynamicTest.dynamicTest(
                version + " is read by today's code as written", () -> readsAsWritten(version)));
    }

    @TestFactory
    Stream<DynamicTest> todays_encoding_of_each_sample_is_byte_for_byte_the_fixture_of_the_newest_release() {
        return EventTypes.CURRENT.stream().map(current -> DynamicTest.dynamicTest(
                current.getName() + " encodes as its newest fixture", () -> encodesAsNewestFixture(current)));
    }

    private void readsAsWritten(SchemaVersion version) throws IOException {
        GoldenFixture fixture = new GoldenFixture(version.type(), version.number());
        byte[] bytes = fixture.bytes().orElseThrow(() -> new AssertionError(
                "no " + fixture.bytesResource() + ": every released version keeps its fixture (restore it from git)"));
        String json = fixture.json().orElseThrow(() -> new AssertionError("no " + fixture.jsonResource()));

        assertEquals(version.fingerprint(), fingerprintIn(bytes), fixture.bytesResource() + " was not written by " + version);
        GenericRecord sample = new GenericDatumReader<GenericRecord>(version.schema())
                .read(null, DecoderFactory.get().jsonDecoder(version.schema(), json));
        assertEquals(sample, new BinaryMessageDecoder<GenericRecord>(GenericData.get(), version.schema()).decode(bytes),
                fixture.bytesResource() + " holds exactly the sample in " + fixture.jsonResource());

        Schema current = EventTypes.schemaOf(version.type());
        // The JSON read as `version` wrote it, resolved to today's class and upcast: what the bytes must turn into.
        SpecificRecord resolved = new SpecificDatumReader<SpecificRecord>(version.schema(), current)
                .read(null, DecoderFactory.get().jsonDecoder(version.schema(), json));
        SpecificRecord expected = history.newest(version.type()).orElseThrow().number() == version.number()
                ? resolved : Upcasters.ALL.toCurrent(resolved, version.number());
        assertEquals(expected, todaysReader.deserialize(TOPIC, bytes), version + " as today's code reads it");
    }

    private void encodesAsNewestFixture(Schema current) {
        String type = current.getName();
        SchemaVersion newest = history.newest(type).orElseThrow(() -> new AssertionError(type + " was never released"));
        if (newest.fingerprint() != SchemaNormalization.parsingFingerprint64(current)) {
            fail("The current " + type + " schema is not released yet (newest is " + newest + "). If the change is "
                    + "deliberate, release it: ./mvnw -pl schemas test-compile exec:java@release-schemas");
        }
        GoldenFixture fixture = new GoldenFixture(type, newest.number());
        byte[] committed = fixture.bytes().orElseThrow(() -> new AssertionError("no " + fixture.bytesResource()
                + ": write it with ./mvnw -pl schemas test-compile exec:java@release-schemas"));
        byte[] today = GoldenFixture.encode(GoldenSamples.of(type).orElseThrow());
        if (!Arrays.equals(committed, today)) {
            fail("Today's encoding of the " + type + " sample differs from " + fixture.bytesResource()
                    + " from byte " + Arrays.mismatch(committed, today) + ":\n  committed " + hex(committed)
                    + "\n  today     " + hex(today) + "\nEither the encoding changed by accident, or GoldenSamples did. A released fixture is history: "
                    + "change the sample back (only a version not merged yet may have its fixture deleted and written again).");
        }
    }

    private static long fingerprintIn(byte[] singleObject) {
        assertTrue(singleObject.length > 10 && singleObject[0] == (byte) 0xC3 && singleObject[1] == 0x01,
                "single-object encoding marker C3 01");
        return ByteBuffer.wrap(singleObject, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
