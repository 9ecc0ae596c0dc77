package dev.tally.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    /** A verified token as SmallRye hands it over: only its subject and expiry matter here. */
    private record Token(String subject, long exp) implements JsonWebToken {
        @Override
        public String getName() {
            return subject;
        }

        @Override
        public Set<String> getClaimNames() {
            return Set.of("sub", "exp");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String name) {
            return (T) Map.<String, Object>of("sub", subject, "exp", exp).get(name);
        }
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void only_the_exact_text_of_a_verified_token_is_found() {
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(5), at(NOW));
        Token alice = new Token("alice", NOW.plusSeconds(600).getEpochSecond());
        tokens.remember("header.payload.signature", alice);

        assertSame(alice, tokens.find("header.payload.signature").orElseThrow());
        // one byte more, less or different is another token, verified in full by the caller
        assertTrue(tokens.find("header.payload.signaturf").isEmpty());
        assertTrue(tokens.find("header.payload.signatur").isEmpty());
        assertTrue(tokens.find("header.payload2.signature").isEmpty());
    }

    @Test
    void a_token_is_never_served_at_or_past_its_expiry() {
        Token shortLived = new Token("alice", NOW.plusSeconds(30).getEpochSecond());

        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(5), at(NOW));
        tokens.remember("t", shortLived);
        assertTrue(tokens.find("t").isPresent());

        MutableClock clock = new MutableClock(NOW);
        VerifiedTokens ticking = new VerifiedTokens(10, Duration.ofMinutes(5), clock);
        ticking.remember("t", shortLived);
        clock.now = NOW.plusSeconds(29);
        assertTrue(ticking.find("t").isPresent());
        clock.now = NOW.plusSeconds(30);
        assertTrue(ticking.find("t").isEmpty(), "served at its exp");
        assertEquals(0, ticking.size());
    }

    @Test
    void a_long_lived_token_is_verified_again_after_the_maximum_age() {
        MutableClock clock = new MutableClock(NOW);
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(5), clock);
        tokens.remember("t", new Token("alice", NOW.plus(Duration.ofDays(1)).getEpochSecond()));
        clock.now = NOW.plus(Duration.ofMinutes(5)).minusSeconds(1);
        assertTrue(tokens.find("t").isPresent());
        clock.now = NOW.plus(Duration.ofMinutes(5));
        assertTrue(tokens.find("t").isEmpty());
    }

    @Test
    void tokens_without_expiry_or_already_expired_are_not_remembered() {
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(5), at(NOW));
        tokens.remember("no-exp", new Token("alice", 0));
        tokens.remember("expired", new Token("alice", NOW.minusSeconds(1).getEpochSecond()));
        assertTrue(tokens.find("no-exp").isEmpty());
        assertTrue(tokens.find("expired").isEmpty());
        assertEquals(0, tokens.size());
    }

    @Test
    void the_cache_never_holds_more_than_its_capacity() {
        VerifiedTokens tokens = new VerifiedTokens(3, Duration.ofMinutes(5), at(NOW));
        for (int i = 0; i < 100; i++) {
            tokens.remember("t" + i, new Token("user" + i, NOW.plusSeconds(600).getEpochSecond()));
            assertTrue(tokens.size() <= 3, "size " + tokens.size());
        }
        assertTrue(tokens.find("t99").isPresent(), "the newest is kept");
    }

    @Test
    void capacity_zero_turns_the_cache_off() {
        VerifiedTokens tokens = new VerifiedTokens(0, Duration.ofMinutes(5), at(NOW));
        tokens.remember("t", new Token("alice", NOW.plusSeconds(600).getEpochSecond()));
        assertTrue(tokens.find("t").isEmpty());
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
