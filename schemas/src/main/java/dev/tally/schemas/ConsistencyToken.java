package dev.tally.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a client hands from a command answer to a query so the query waits for its own write: the
 * account versions the command produced. A read model that has applied an account's event with
 * that sequence includes the write, whichever partition or offset it came from. Opaque to clients
 * (base64url text), versioned so the format can change.
 */
public record ConsistencyToken(Map<String, Long> minimumVersions) {

    private static final String PREFIX = "v1.";

    public ConsistencyToken {
        minimumVersions = Map.copyOf(minimumVersions);
    }

    public static ConsistencyToken of(String accountId, long version) {
        return new ConsistencyToken(Map.of(accountId, version));
    }

    public String encode() {
        StringBuilder plain = new StringBuilder();
        minimumVersions.forEach((account, version) ->
                plain.append(plain.isEmpty() ? "" : ",").append(account).append('@').append(version));
        return PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(plain.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The token, or empty when the text is not one this version wrote. */
    public static Optional<ConsistencyToken> decode(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text.substring(PREFIX.length())),
                    StandardCharsets.UTF_8);
            Map<String, Long> versions = new LinkedHashMap<>();
            for (String part : plain.split(",")) {
                int at = part.lastIndexOf('@');
                if (at <= 0) {
                    return Optional.empty();
                }
                versions.put(part.substring(0, at), Long.parseLong(part.substring(at + 1)));
            }
            return versions.isEmpty() ? Optional.empty() : Optional.of(new ConsistencyToken(versions));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
