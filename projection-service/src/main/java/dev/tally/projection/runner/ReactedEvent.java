package dev.tally.projection.runner;

import dev.tally.events.EventMeta;
import org.apache.avro.specific.SpecificRecord;

/** An event as a reactor gets it: the event (text made storable), its envelope and the trace it carries. */
public record ReactedEvent(SpecificRecord event, EventMeta meta, String traceparent) {

    public String type() {
        return event.getSchema().getName();
    }
}
