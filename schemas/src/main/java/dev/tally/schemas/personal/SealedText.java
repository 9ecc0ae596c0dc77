package dev.tally.schemas.personal;

import java.util.Base64;
import java.util.Optional;

/**
 * How a personal value travels in an event once it is encrypted: still an Avro {@code string}, so
 * that every reader built before encryption reads it (as opaque text, never an error), in the form
 * {@code tally:sealed:v1:<keyId>:<eventId>:<base64url of nonce ‖ ciphertext ‖ tag>}. The event id
 * is the associated data the value was sealed with: a reader of an event opens it with the event's
 * own id (so a value moved into another event does not open), a reader of a read-model row, which
 * keeps no event, with the id the value names. The write model refuses client text that starts with
 * {@link #PREFIX}, so a value of this form was sealed by Tally.
 */
public record SealedText(String keyId, String eventId, byte[] payload) {

    public static final String PREFIX = "tally:sealed:";
    private static final String V1 = PREFIX + "v1:";

    /** What every value sealed with the key {@code keyId} starts with: how a read model finds them. */
    public static String prefixOf(String keyId) {
        return V1 + keyId + ":";
    }

    /** True if {@code text} has the sealed form (it may still fail to open). */
    public static boolean isSealed(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    /** The sealed value in {@code text}, or empty if it is plain text (an event from before encryption). */
    public static Optional<SealedText> parse(String text) {
        if (!isSealed(text)) {
            return Optional.empty();
        }
        if (!text.startsWith(V1)) {
            throw new IllegalArgumentException("a sealed value of an unknown version: " + abbreviate(text));
        }
        int afterKey = text.indexOf(':', V1.length());
        if (afterKey <= V1.length()) {
            throw new IllegalArgumentException("a sealed value without a key id: " + abbreviate(text));
        }
        int afterEvent = text.indexOf(':', afterKey + 1);
        if (afterEvent <= afterKey + 1) {
            throw new IllegalArgumentException("a sealed value without an event id: " + abbreviate(text));
        }
        try {
            return Optional.of(new SealedText(text.substring(V1.length(), afterKey),
                    text.substring(afterKey + 1, afterEvent),
                    Base64.getUrlDecoder().decode(text.substring(afterEvent + 1))));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("a sealed value whose payload is not base64url: " + abbreviate(text));
        }
    }

    @Override
    public String toString() {
        return V1 + keyId + ":" + eventId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
