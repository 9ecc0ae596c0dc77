package dev.tally.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Record headers on {@code tally.ledger.events}. They let a consumer route or skip a record
 * without decoding it, which is how a subscriber built against older schemas survives new types.
 */
public final class EventHeaders {

    /** Simple name of the event type, e.g. {@code FundsDeposited}. */
    public static final String EVENT_TYPE = "tally.event-type";
    /** Full name of the writer's Avro schema, e.g. {@code dev.tally.events.FundsDeposited}. */
    public static final String SCHEMA = "tally.schema";
    /** CRC-64-AVRO fingerprint of the writer's schema, 16 lowercase hex digits. */
    public static final String SCHEMA_FINGERPRINT = "tally.schema-fingerprint";

    /** The record's event type as its writer named it; empty when the header is missing. */
    public static Optional<String> eventType(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(EVENT_TYPE);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private EventHeaders() {
    }
}
