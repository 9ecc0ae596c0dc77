package dev.tally.schemas.upcasting;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every upcaster, chained by version: an event of v1 goes through v1→v2, then v2→v3, and so on up
 * to today's release. Register a new one here when a release needs it; the log is never edited.
 */
public final class Upcasters {

    public static final Upcasters ALL = new Upcasters(List.of(new FundsWithdrawnV1ToV2()));

    public static final Upcasters NONE = new Upcasters(List.of());

    private final Map<String, Upcaster> byTypeAndVersion = new HashMap<>();

    public Upcasters(List<Upcaster> upcasters) {
        for (Upcaster upcaster : upcasters) {
            byTypeAndVersion.put(key(upcaster.type(), upcaster.fromVersion()), upcaster);
        }
    }

    /** The event, written by release {@code writtenVersion} of its type, as today's release means it. */
    public SpecificRecord toCurrent(SpecificRecord event, int writtenVersion) {
        SpecificRecord current = event;
        String type = event.getSchema().getName();
        for (int version = writtenVersion; ; version++) {
            Upcaster next = byTypeAndVersion.get(key(type, version));
            if (next == null) {
                return current;
            }
            current = next.upcast(current);
        }
    }

    private static String key(String type, int version) {
        return type + "@" + version;
    }
}
