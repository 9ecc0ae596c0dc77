package dev.tally.projection.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one place where text from an event is made storable in PostgreSQL, for every projection,
 * live and in rebuilds alike. PostgreSQL's {@code text} and {@code jsonb} hold any Unicode except
 * U+0000, and the driver cannot encode a lone UTF-16 surrogate; both become U+FFFD (the
 * replacement character), everything else is kept as it was sent: other control characters,
 * noncharacters, bidirectional marks, emoji, any length. The log keeps the original bytes forever,
 * so nothing is lost; a reader of the read models sees U+FFFD where a sender wrote U+0000.
 */
public final class StorableText {

    public static final char REPLACEMENT = '\uFFFD';

    private StorableText() {
    }

    public static String of(String text) {
        if (text == null || isStorable(text)) {
            return text;
        }
        StringBuilder storable = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                storable.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                storable.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                storable.append(REPLACEMENT);
            } else {
                storable.append(c);
            }
        }
        return storable.toString();
    }

    private static boolean isStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** The event with every string in it (nested records, map keys and values, lists) made storable, in place. */
    public static <T extends SpecificRecord> T event(T event) {
        for (Schema.Field field : event.getSchema().getFields()) {
            Object value = event.get(field.pos());
            Object storable = value(value);
            if (storable != value) {
                event.put(field.pos(), storable);
            }
        }
        return event;
    }

    private static Object value(Object value) {
        return switch (value) {
            case null -> null;
            case CharSequence text -> {
                String string = text.toString();
                String storable = of(string);
                yield storable == string && value instanceof String ? value : storable;
            }
            case SpecificRecord record -> event(record);
            case Map<?, ?> map -> {
                // A key that collides once mapped keeps the first value: the log has both.
                Map<Object, Object> storable = new LinkedHashMap<>();
                map.forEach((k, v) -> storable.putIfAbsent(value(k), value(v)));
                yield storable;
            }
            case List<?> list -> {
                List<Object> storable = new ArrayList<>(list.size());
                list.forEach(item -> storable.add(value(item)));
                yield storable;
            }
            default -> value;
        };
    }
}
