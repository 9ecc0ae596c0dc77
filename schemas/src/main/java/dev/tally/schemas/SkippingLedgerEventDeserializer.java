package dev.tally.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The value deserializer for subscribers: an event of a type this build does not know comes out as
 * {@code null} (the record's {@code tally.event-type} header still says what it was), so a
 * subscriber built against older schemas keeps running when new types appear.
 *
 * <p>Only unknown <em>types</em> are skipped, and only on the header's word, without decoding. A
 * newer version of a type it knows, or a record without the header, still fails with
 * {@link UnknownEventTypeException}: skipping those would silently lose, say, a deposit, and a
 * subscriber that sees them needs a newer {@code tally-schemas}, not a gap in its books.
 */
public final class SkippingLedgerEventDeserializer implements Deserializer<SpecificRecord> {

    private final LedgerEventDeserializer events;

    /** Knows every current type and every released version of it; usable as {@code value.deserializer}. */
    public SkippingLedgerEventDeserializer() {
        this(new LedgerEventDeserializer());
    }

    public SkippingLedgerEventDeserializer(LedgerEventDeserializer events) {
        this.events = events;
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        return events.deserialize(topic, data);
    }

    @Override
    public SpecificRecord deserialize(String topic, Headers headers, byte[] data) {
        boolean unknownType = EventHeaders.eventType(headers).filter(type -> !events.knowsType(type)).isPresent();
        return unknownType ? null : events.deserialize(topic, data);
    }
}
