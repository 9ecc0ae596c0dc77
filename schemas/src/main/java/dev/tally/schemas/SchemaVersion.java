package dev.tally.schemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * One released writer schema of an event type: {@code number} counts from 1 in the order the
 * versions were released. Events written with it may sit on the topic forever.
 */
public record SchemaVersion(String type, int number, Schema schema) {

    public SchemaVersion {
        if (number < 1) {
            throw new IllegalArgumentException("Versions count from 1, got " + number + " for " + type);
        }
        if (!schema.getName().equals(type)) {
            throw new IllegalArgumentException("History of " + type + " holds a schema named " + schema.getFullName());
        }
    }

    /** The CRC-64-AVRO fingerprint a single-object-encoded event written with this version starts with. */
    public long fingerprint() {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    @Override
    public String toString() {
        return type + " v" + number;
    }
}
