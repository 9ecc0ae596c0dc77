package dev.tally.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.avro.Schema;

/**
 * Other versions of a released schema, made by editing its JSON: the past and futures that tests
 * need (an older writer, an incompatible change) without adding them to the real history.
 */
public final class SchemaEdits {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaEdits() {
    }

    /** The released version of a type as shipped, to start edits from. */
    public static Schema released(String type, int version) {
        return SchemaHistory.shipped().versionsOf(type).get(version - 1).schema();
    }

    /** Drops fields by path: {@code "metadata"} at the top, {@code "meta.requestHash"} inside EventMeta. */
    public static Schema withoutFields(Schema schema, String... paths) {
        return edited(schema, root -> {
            for (String path : paths) {
                int lastDot = path.lastIndexOf('.');
                ObjectNode record = lastDot < 0 ? root : (ObjectNode) field(root, path.substring(0, lastDot)).get("type");
                ArrayNode fields = (ArrayNode) record.get("fields");
                fields.remove(indexOf(fields, path.substring(lastDot + 1)));
            }
        });
    }

    /** Appends a top-level field given as JSON, e.g. {@code {"name": "channel", "type": "string"}}. */
    public static Schema withField(Schema schema, String fieldJson) {
        return edited(schema, root -> ((ArrayNode) root.get("fields")).add(parse(fieldJson)));
    }

    public static Schema edited(Schema schema, Consumer<ObjectNode> edit) {
        ObjectNode root = (ObjectNode) parse(schema.toString());
        edit.accept(root);
        return new Schema.Parser().parse(root.toString());
    }

    /** A field of the record by path, {@code "amountMinor"} or {@code "meta.occurredAt"}, to edit in place. */
    public static ObjectNode field(ObjectNode record, String path) {
        ObjectNode current = record;
        String[] steps = path.split("\\.");
        for (int i = 0; i < steps.length - 1; i++) {
            current = (ObjectNode) field(current, steps[i]).get("type");
        }
        ArrayNode fields = (ArrayNode) current.get("fields");
        return (ObjectNode) fields.get(indexOf(fields, steps[steps.length - 1]));
    }

    private static int indexOf(ArrayNode fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("No field " + name);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
