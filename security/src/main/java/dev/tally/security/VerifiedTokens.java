package dev.tally.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Tokens whose signature and claims were already verified, by their exact text. A client sends
 * the same bearer token on every request until it expires, and verifying an RS256 signature and
 * parsing the claims again each time was a fifth of the query service's CPU ({@code ./run bench}).
 *
 * <p>Safe because the key is the whole compact token, signature included: a token differing in
 * one byte is not found and is verified in full, and only tokens that passed verification are
 * ever put here. An entry is served until the token's own {@code exp} (never past it, with no
 * clock skew allowance) and at most {@code maxAge} after it was verified, so a key rotated
 * away at the identity provider stops being honoured within {@code maxAge}. At most
 * {@code capacity} tokens are kept; when full, expired ones go first and then everything (a
 * simple bound that a flood of valid tokens cannot grow past).
 */
public final class VerifiedTokens {

    private record Entry(JsonWebToken token, Instant until) {
    }

    private final Map<String, Entry> byText = new ConcurrentHashMap<>();
    private final int capacity;
    private final java.time.Duration maxAge;
    private final Clock clock;

    public VerifiedTokens(int capacity, java.time.Duration maxAge, Clock clock) {
        this.capacity = capacity;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The token verified earlier with exactly this text, while it is still valid. */
    public Optional<JsonWebToken> find(String text) {
        Entry entry = byText.get(text);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.until())) {
            byText.remove(text, entry);
            return Optional.empty();
        }
        return Optional.of(entry.token());
    }

    /** Remembers a token that was just verified; one without an expiry is not remembered. */
    public void remember(String text, JsonWebToken verified) {
        if (capacity <= 0 || verified.getExpirationTime() <= 0) {
            return;
        }
        Instant now = clock.instant();
        Instant expires = Instant.ofEpochSecond(verified.getExpirationTime());
        Instant until = expires.isBefore(now.plus(maxAge)) ? expires : now.plus(maxAge);
        if (!now.isBefore(until)) {
            return;
        }
        if (byText.size() >= capacity) {
            byText.values().removeIf(entry -> !now.isBefore(entry.until()));
            if (byText.size() >= capacity) {
                byText.clear();
            }
        }
        byText.put(text, new Entry(verified, until));
    }

    int size() {
        return byText.size();
    }
}
