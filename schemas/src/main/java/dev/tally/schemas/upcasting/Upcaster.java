package dev.tally.schemas.upcasting;

import org.apache.avro.specific.SpecificRecord;

/**
 * Turns an event written with an older release of its type into what today's release means, when
 * a plain Avro default cannot say it (a new field whose value must be computed). It runs on the
 * event as Avro resolution already read it into today's class: the new fields hold their defaults.
 */
public interface Upcaster {

    /** The event type, e.g. {@code FundsWithdrawn}. */
    String type();

    /** The release this upcaster lifts events from: it turns v{@code fromVersion} into v{@code fromVersion + 1}. */
    int fromVersion();

    SpecificRecord upcast(SpecificRecord event);
}
