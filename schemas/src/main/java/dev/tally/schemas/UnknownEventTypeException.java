package dev.tally.schemas;

import org.apache.kafka.common.errors.SerializationException;

/** The record was written with a schema this reader does not know (a newer type, usually). */
public final class UnknownEventTypeException extends SerializationException {

    private final long fingerprint;

    public UnknownEventTypeException(long fingerprint) {
        super("No known schema has fingerprint %016x".formatted(fingerprint));
        this.fingerprint = fingerprint;
    }

    public long fingerprint() {
        return fingerprint;
    }
}
