package dev.tally.command.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tally.command.ledger.CommandContext;
import dev.tally.problems.Problem;
import dev.tally.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every command request carries besides its body, read once: who asks (the authenticated
 * caller, and the owner it is confined to if it is a customer), which business operation it belongs
 * to ({@code Correlation-Id}), the version the client saw ({@code If-Match}) and its
 * {@code Idempotency-Key}.
 */
public record CommandHeaders(String actor, String confinedToOwner, String correlationId, String ifMatch,
                             String idempotencyKey) {

    private static final Pattern VERSION = Pattern.compile("^(?:W/)?\"?(\\d{1,18})\"?$");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /** Checks the header syntax; a bad header is a 400, never silently ignored. */
    public CommandHeaders validated() {
        List<Problem.FieldError> errors = new java.util.ArrayList<>();
        if (ifMatch != null && !ifMatch.isBlank() && !ifMatch.trim().equals("*") && !VERSION.matcher(ifMatch.trim()).matches()) {
            errors.add(new Problem.FieldError("If-Match", "must be an account version such as \"3\""));
        }
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            errors.add(new Problem.FieldError("Idempotency-Key", "must be 1 to 255 visible ASCII characters"));
        }
        if (actor != null && actor.length() > 200) {
            errors.add(new Problem.FieldError("Actor", "must be at most 200 characters"));
        } else if (actor != null && actor.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
            errors.add(new Problem.FieldError("Actor", "must not contain control characters"));
        }
        // Both travel into every event's metadata, and from there into every read model.
        if (correlationId != null && !correlationId.isEmpty() && !KEY.matcher(correlationId).matches()) {
            errors.add(new Problem.FieldError("Correlation-Id", "must be 1 to 255 visible ASCII characters"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.validation(errors));
        }
        return this;
    }

    public Long expectedVersion() {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher matcher = VERSION.matcher(ifMatch.trim());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : null;
    }

    /** A fresh command id and the context of a command the client sent directly. */
    public CommandContext context(String accountId, Instant now) {
        String commandId = UUID.randomUUID().toString();
        String who = actor == null || actor.isBlank() ? "anonymous" : actor;
        String correlation = correlationId == null || correlationId.isBlank() ? commandId : correlationId;
        return CommandContext.direct(commandId, accountId, now, who, correlation, expectedVersion(), confinedToOwner);
    }

    /** What the Idempotency-Key is bound to: the endpoint and the body, canonicalised. */
    public static String requestHash(String endpoint, Object body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(endpoint.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(CANONICAL.writeValueAsBytes(body));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
