package dev.tally.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tally.schemas.tracing.TraceHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * {@code asyncapi.yaml} is what subscribers read first; these checks keep it from drifting away
 * from the code: the topics of {@link Topics}, a message per type of {@link EventTypes#CURRENT}
 * whose payload is the released {@code .avsc} of that type, and the headers of {@link EventHeaders}
 * and {@link TraceHeaders}, none of them required.
 */
class AsyncApiContractTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final String AVRO_FORMAT = "application/vnd.apache.avro;version=1.9.0";

    private final JsonNode document = read(MODULE.resolve("asyncapi.yaml"));
    private final JsonNode eventsChannel = channelAt(Topics.LEDGER_EVENTS.name());

    @Test
    void it_is_asyncapi_3_and_describes_the_events_topic_and_the_internal_ones() {
        assertTrue(document.path("asyncapi").asText().startsWith("3.0."), document.path("asyncapi").asText());
        for (TopicSpec internal : List.of(Topics.COMMANDS, Topics.COMMAND_RESULTS)) {
            JsonNode channel = channelAt(internal.name());
            assertTrue(channel.path("tags").findValuesAsText("name").contains("internal"), internal.name() + " is tagged internal");
        }
        assertEquals(-1, eventsChannel.at("/bindings/kafka/topicConfiguration/retention.ms").asLong(), "kept forever");
    }

    @Test
    void every_current_event_type_has_a_message_on_the_events_channel_and_nothing_else_does() {
        Set<String> types = new TreeSet<>(EventTypes.CURRENT.stream().map(Schema::getName).toList());
        Set<String> messages = new TreeSet<>();
        eventsChannel.path("messages").properties().forEach(entry -> messages.add(resolve(entry.getValue()).path("name").asText()));

        assertEquals(types, messages);
    }

    @Test
    void every_event_payload_is_the_avro_file_of_the_newest_release_of_its_type() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode reference : eventsChannel.path("messages")) {
            JsonNode message = resolve(reference);
            String type = message.path("name").asText();
            JsonNode payload = message.path("payload");
            SchemaVersion newest = SchemaHistory.shipped().newest(type).orElseThrow();
            String expected = "./src/main/avro-history/" + type + "/v" + newest.number() + ".avsc";
            String ref = payload.at("/schema/$ref").asText();
            if (!AVRO_FORMAT.equals(payload.path("schemaFormat").asText())) {
                problems.add(type + ": schemaFormat is not " + AVRO_FORMAT);
            }
            if (!expected.equals(ref)) {
                problems.add(type + ": payload refers to '" + ref + "', the newest release is " + expected);
                continue;
            }
            Schema schema = new Schema.Parser().parse(MODULE.resolve(ref).toFile());
            if (SchemaNormalization.parsingFingerprint64(schema)
                    != SchemaNormalization.parsingFingerprint64(EventTypes.schemaOf(type))) {
                problems.add(type + ": " + ref + " is not the current schema");
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    @Test
    void every_event_message_has_the_headers_the_serializer_writes_and_the_account_id_as_key() {
        for (JsonNode reference : eventsChannel.path("messages")) {
            JsonNode message = resolve(reference);
            String name = message.path("name").asText();
            assertEquals(1, message.path("traits").size(), name);
            JsonNode trait = resolve(message.path("traits").get(0));
            Set<String> headers = new TreeSet<>();
            trait.at("/headers/properties").properties().forEach(entry -> headers.add(entry.getKey()));

            assertEquals(Set.of(EventHeaders.EVENT_TYPE, EventHeaders.SCHEMA, EventHeaders.SCHEMA_FINGERPRINT,
                    TraceHeaders.TRACEPARENT, "tracestate"), headers, name);
            // Records without the tally.* headers exist on real topics, and traceparent needs tracing on.
            assertTrue(trait.at("/headers/required").isMissingNode() || trait.at("/headers/required").isEmpty(),
                    name + ": the document must not promise headers that recorded records lack");
            assertEquals("string", trait.at("/bindings/kafka/key/type").asText(), name);
            assertTrue(trait.at("/bindings/kafka/key/description").asText().contains("account id"), name);
        }
    }

    private JsonNode channelAt(String address) {
        for (JsonNode channel : document.path("channels")) {
            if (address.equals(channel.path("address").asText())) {
                return channel;
            }
        }
        throw new AssertionError("asyncapi.yaml has no channel with address " + address);
    }

    /** Follows a local {@code $ref} ({@code #/components/...}); other nodes are returned as they are. */
    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        if (!ref.startsWith("#/")) {
            return node;
        }
        JsonNode target = document.at(ref.substring(1));
        assertFalse(target.isMissingNode(), "asyncapi.yaml refers to " + ref + ", which does not exist");
        return target;
    }

    private static JsonNode read(Path file) {
        try {
            return new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new AssertionError("asyncapi.yaml does not parse: " + e.getMessage(), e);
        }
    }
}
