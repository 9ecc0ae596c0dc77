package dev.tally.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.events.AccountOpened;
import dev.tally.events.FundsDeposited;
import dev.tally.schemas.golden.GoldenSamples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * A subscriber built when the ledger had only AccountOpened and FundsDeposited, fed today's topic:
 * it must skip the eight types it never heard of, and read the two it knows.
 */
class SkippingLedgerEventDeserializerTest {

    private static final String TOPIC = Topics.LEDGER_EVENTS.name();

    private final LedgerEventSerializer producer = new LedgerEventSerializer();
    private final SkippingLedgerEventDeserializer olderSubscriber = new SkippingLedgerEventDeserializer(
            new LedgerEventDeserializer(List.of(AccountOpened.getClassSchema(), FundsDeposited.getClassSchema())));

    @Test
    void an_older_subscriber_skips_the_types_it_does_not_know_and_reads_the_ones_it_does() {
        List<String> read = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SpecificRecord event : GoldenSamples.all()) {
            RecordHeaders headers = new RecordHeaders();
            byte[] value = producer.serialize(TOPIC, headers, event);

            SpecificRecord decoded = olderSubscriber.deserialize(TOPIC, headers, value);

            if (decoded == null) {
                skipped.add(EventHeaders.eventType(headers).orElseThrow());
            } else {
                assertEquals(event, decoded);
                read.add(EventTypes.typeOf(decoded));
            }
        }
        assertEquals(List.of("AccountOpened", "FundsDeposited"), read);
        assertEquals(List.of("FundsWithdrawn", "AccountFrozen", "AccountUnfrozen", "TransferDebited", "TransferCredited",
                "TransferCompleted", "TransferRefunded", "AccountClosed", "SubjectForgotten", "FundsHeld", "HoldCaptured", "HoldReleased",
                "HoldExpired", "TransferReserved", "TransferPosted", "TransferVoided"), skipped);
    }

    @Test
    void an_unknown_type_is_skipped_on_its_header_without_decoding_its_value() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_TYPE, "CreditsExpired".getBytes(StandardCharsets.UTF_8));
        byte[] notEvenAvro = "a future format".getBytes(StandardCharsets.UTF_8);

        assertNull(olderSubscriber.deserialize(TOPIC, headers, notEvenAvro));
    }

    @Test
    void a_newer_version_of_a_known_type_is_refused_rather_than_skipped_so_no_deposit_goes_missing() {
        Schema newerDeposit = SchemaEdits.withField(FundsDeposited.getClassSchema(),
                "{\"name\": \"addedByALaterRelease\", \"type\": [\"null\", \"string\"], \"default\": null}");
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_TYPE, "FundsDeposited".getBytes(StandardCharsets.UTF_8));
        byte[] value = producer.serialize(TOPIC, GoldenSamples.of("FundsDeposited").orElseThrow());
        System.arraycopy(fingerprintBytes(newerDeposit), 0, value, 2, 8);

        assertThrows(UnknownEventTypeException.class, () -> olderSubscriber.deserialize(TOPIC, headers, value));
    }

    @Test
    void without_headers_an_unknown_fingerprint_is_refused_since_type_and_version_cannot_be_told_apart() {
        byte[] transfer = producer.serialize(TOPIC, GoldenSamples.of("TransferDebited").orElseThrow());

        assertThrows(UnknownEventTypeException.class, () -> olderSubscriber.deserialize(TOPIC, new RecordHeaders(), transfer));
        assertThrows(UnknownEventTypeException.class, () -> olderSubscriber.deserialize(TOPIC, transfer));
    }

    @Test
    void kafka_can_create_it_by_class_name_and_it_then_knows_every_current_type() throws Exception {
        @SuppressWarnings("unchecked")
        Deserializer<SpecificRecord> configured = (Deserializer<SpecificRecord>)
                Class.forName("dev.tally.schemas.SkippingLedgerEventDeserializer").getConstructor().newInstance();

        for (SpecificRecord event : GoldenSamples.all()) {
            RecordHeaders headers = new RecordHeaders();
            assertEquals(event, configured.deserialize(TOPIC, headers, producer.serialize(TOPIC, headers, event)));
        }
    }

    private static byte[] fingerprintBytes(Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        byte[] littleEndian = new byte[8];
        for (int i = 0; i < 8; i++) {
            littleEndian[i] = (byte) (fingerprint >>> (8 * i));
        }
        return littleEndian;
    }
}
