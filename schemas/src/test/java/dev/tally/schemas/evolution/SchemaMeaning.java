package dev.tally.schemas.evolution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;

/**
 * What a schema means beyond its fingerprint. Avro's parsing canonical form (and so the
 * fingerprint) drops defaults, logical types, aliases and sort orders; two schemas with one
 * fingerprint must still agree on those, or the same bytes would be read two ways.
 */
final class SchemaMeaning {

    /** Words for people (doc) and for one code generator (avro.java.string) change nothing on the wire. */
    private static final Set<String> WITHOUT_MEANING = Set.of("doc", "avro.java.string");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaMeaning() {
    }

    /** Where {@code changed} first means something else than {@code released}, or empty when it does not. */
    static Optional<String> firstDifference(Schema released, Schema changed) {
        return firstDifference(meaningful(released), meaningful(changed), "");
    }

    private static Optional<String> firstDifference(JsonNode released, JsonNode changed, String path) {
        if (released.isObject() && changed.isObject()) {
            Set<String> names = new TreeSet<>();
            released.properties().forEach(property -> names.add(property.getKey()));
            changed.properties().forEach(property -> names.add(property.getKey()));
            for (String name : names) {
                JsonNode before = released.get(name);
                JsonNode after = changed.get(name);
                if (before == null || after == null) {
                    return Optional.of(path + "/" + name + (before == null ? " was added" : " was removed"));
                }
                Optional<String> difference = firstDifference(before, after, path + "/" + name);
                if (difference.isPresent()) {
                    return difference;
                }
            }
            return Optional.empty();
        }
        if (released.isArray() && changed.isArray() && released.size() == changed.size()) {
            for (int i = 0; i < released.size(); i++) {
                String step = released.get(i).has("name") ? released.get(i).get("name").asText() : String.valueOf(i);
                Optional<String> difference = firstDifference(released.get(i), changed.get(i), path + "/" + step);
                if (difference.isPresent()) {
                    return difference;
                }
            }
            return Optional.empty();
        }
        return released.equals(changed)
                ? Optional.empty()
                : Optional.of(path + " changed from " + released + " to " + changed);
    }

    private static JsonNode meaningful(Schema schema) {
        try {
            return normalized(JSON.readTree(schema.toString()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Without docs and Java hints; {@code {"type": "string"}} is then just {@code "string"}, as Avro reads it. */
    private static JsonNode normalized(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            object.properties().stream()
                    .filter(property -> !WITHOUT_MEANING.contains(property.getKey()))
                    .forEach(property -> copy.set(property.getKey(), normalized(property.getValue())));
            return copy.size() == 1 && copy.path("type").isTextual() ? copy.get("type") : copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            array.forEach(element -> copy.add(normalized(element)));
            return copy;
        }
        return node;
    }
}
