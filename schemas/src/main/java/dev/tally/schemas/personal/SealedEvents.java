package dev.tally.schemas.personal;

import dev.tally.events.EventMeta;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Whole events through {@link PersonalDataCipher}: every {@link PersonalFields personal field} of an
 * event sealed with its account's key (the write model, before appending), or revealed with the keys
 * a reader has ({@link PersonalDataCipher#ERASED} where a key is gone). Facts are never touched.
 * Returns copies: the event passed in is left as it was.
 */
public final class SealedEvents {

    private SealedEvents() {
    }

    /** The event with its personal fields sealed with {@code key}, for the event's own id. */
    public static <T extends SpecificRecord> T seal(T event, SubjectKey key) {
        String eventId = eventId(event);
        return map(event, text -> SealedText.isSealed(text) ? text : PersonalDataCipher.seal(key, eventId, text));
    }

    /**
     * The event with every personal value replaced by {@link PersonalDataCipher#ERASED}: what the write
     * model appends for an account whose subject is forgotten (it has no key to seal with, and must
     * not write the text in clear). Null stays null.
     */
    public static <T extends SpecificRecord> T erase(T event) {
        return map(event, text -> PersonalDataCipher.ERASED);
    }

    /**
     * The event with its personal fields revealed: plain text stays, sealed text opens or reads erased.
     * Each value opens for the event it names: a later event may carry a value sealed for an earlier
     * one of the same account (a posted reservation's reference), which the tag still binds.
     */
    public static <T extends SpecificRecord> T reveal(T event, Function<String, Optional<SubjectKey>> keys) {
        return map(event, text -> PersonalDataCipher.reveal(text, keys));
    }

    /** True if the event carries any personal value (a reference, a metadata value, a reason): only then is there anything to seal. */
    public static boolean hasPersonalText(SpecificRecord event) {
        Schema schema = event.getSchema();
        for (String name : PersonalFields.of(schema.getName())) {
            Object value = event.get(schema.getField(name).pos());
            if (value instanceof CharSequence || value instanceof Map<?, ?> map && !map.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> T map(T event, UnaryOperator<String> change) {
        Schema schema = event.getSchema();
        T copy = (T) SpecificData.get().deepCopy(schema, event);
        for (String name : PersonalFields.of(schema.getName())) {
            Schema.Field field = schema.getField(name);
            Object value = copy.get(field.pos());
            if (value instanceof CharSequence text) {
                copy.put(field.pos(), change.apply(text.toString()));
            } else if (value instanceof Map<?, ?> map) {
                Map<String, String> changed = new LinkedHashMap<>();
                map.forEach((k, v) -> changed.put(k.toString(), v == null ? null : change.apply(v.toString())));
                copy.put(field.pos(), changed);
            }
        }
        return copy;
    }

    private static String eventId(SpecificRecord event) {
        return ((EventMeta) event.get(event.getSchema().getField("meta").pos())).getEventId();
    }
}
