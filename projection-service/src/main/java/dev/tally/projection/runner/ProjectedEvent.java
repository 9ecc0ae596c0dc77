package dev.tally.projection.runner;

import dev.tally.events.EventMeta;
import org.apache.avro.specific.SpecificRecord;

/**
 * An event a projection has not applied yet, with what it needs to know about its account: the
 * currency and scale (from the account's opening, wherever in the log that was).
 */
public record ProjectedEvent(SpecificRecord event, EventMeta meta, String currency, int scale) {

    public String accountId() {
        return meta.getAccountId();
    }
}
