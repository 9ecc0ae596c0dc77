package dev.tally.projection.webhooks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.problems.Problem;
import dev.tally.problems.ProblemException;
import dev.tally.schemas.EventTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Reads and checks the bodies of the webhook calls: strict JSON (a duplicate key, an unknown field
 * or a number where text belongs is a 400), event types Tally has, text without control characters
 * or unpaired surrogates, and a URL the {@link TargetPolicy} accepts. Every problem is listed at once.
 */
final class WebhookRequests {

    static final Set<String> EVENT_TYPES = EventTypes.CURRENT.stream().map(Schema::getName)
            .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MOST_EVENT_TYPES = 64;
    private static final int LONGEST_ID = 200;

    /** {@code POST /webhooks}. */
    record Create(String url, List<String> events, String accountId, String owner, String secret) {
    }

    private WebhookRequests() {
    }

    static Create create(String body, TargetPolicy targets) {
        JsonNode root = object(body);
        List<Problem.FieldError> errors = new ArrayList<>();
        onlyFields(root, Set.of("url", "events", "accountId", "owner", "secret"), errors);
        String url = text(root, "url", true, 2048, errors);
        if (url != null) {
            targets.problemWithUrl(url).ifPresent(problem -> errors.add(new Problem.FieldError("url", problem)));
        }
        List<String> events = new ArrayList<>();
        JsonNode types = root.get("events");
        if (types == null || !types.isArray() || types.isEmpty()) {
            errors.add(new Problem.FieldError("events", "must be a non-empty array of event types, from " + EVENT_TYPES));
        } else if (types.size() > MOST_EVENT_TYPES) {
            errors.add(new Problem.FieldError("events", "must list at most " + MOST_EVENT_TYPES + " types"));
        } else {
            Set<String> seen = new LinkedHashSet<>();
            for (Iterator<JsonNode> it = types.elements(); it.hasNext(); ) {
                JsonNode type = it.next();
                if (!type.isTextual() || !EVENT_TYPES.contains(type.asText())) {
                    errors.add(new Problem.FieldError("events", "unknown event type " + type + "; one of " + EVENT_TYPES));
                } else {
                    seen.add(type.asText());
                }
            }
            events.addAll(seen);
        }
        String accountId = text(root, "accountId", false, LONGEST_ID, errors);
        String owner = text(root, "owner", false, LONGEST_ID, errors);
        if (accountId != null && owner != null) {
            errors.add(new Problem.FieldError("owner", "give accountId or owner, not both"));
        }
        String secret = text(root, "secret", false, 200, errors);
        if (secret != null) {
            Signatures.problemWith(secret).ifPresent(problem -> errors.add(new Problem.FieldError("secret", problem)));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.validation(errors));
        }
        return new Create(url, List.copyOf(events), accountId, owner, secret);
    }

    /** {@code POST /webhooks/{id}/secret/rotate}: an optional new secret. */
    static String rotation(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode root = object(body);
        List<Problem.FieldError> errors = new ArrayList<>();
        onlyFields(root, Set.of("secret"), errors);
        String secret = text(root, "secret", false, 200, errors);
        if (secret != null) {
            Signatures.problemWith(secret).ifPresent(problem -> errors.add(new Problem.FieldError("secret", problem)));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.validation(errors));
        }
        return secret;
    }

    private static JsonNode object(String body) {
        try {
            JsonNode root = JSON.readTree(body == null ? "" : body);
            if (root == null || !root.isObject()) {
                throw new ProblemException(Problem.invalid("body", "must be a JSON object"));
            }
            return root;
        } catch (IOException e) {
            throw new ProblemException(Problem.invalid("body", "is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    private static void onlyFields(JsonNode root, Set<String> known, List<Problem.FieldError> errors) {
        root.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                errors.add(new Problem.FieldError(name, "is not a field of this request (" + known + ")"));
            }
        });
    }

    private static String text(JsonNode root, String field, boolean required, int longest, List<Problem.FieldError> errors) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new Problem.FieldError(field, "is required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new Problem.FieldError(field, "must be a string"));
            return null;
        }
        String text = value.asText();
        if (text.isEmpty() || text.length() > longest) {
            errors.add(new Problem.FieldError(field, "must be 1 to " + longest + " characters"));
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                errors.add(new Problem.FieldError(field, "must not contain control characters (U+%04X)".formatted((int) c)));
                return null;
            }
            if (Character.isHighSurrogate(c) && (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                errors.add(new Problem.FieldError(field, "must not contain unpaired surrogates"));
                return null;
            }
        }
        return text;
    }
}
