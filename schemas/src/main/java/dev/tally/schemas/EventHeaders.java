package dev.tally.schemas;

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

    private EventHeaders() {
    }
}
