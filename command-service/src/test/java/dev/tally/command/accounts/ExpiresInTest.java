package dev.tally.command.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.problems.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code expiresIn} of holds and two-phase transfers: what is accepted, and that the expiry is in whole milliseconds. */
class ExpiresInTest {

    private final ExpiresIn expiresIn = new ExpiresIn(Duration.ofDays(7), Duration.ofDays(30));
    private final Instant now = Instant.parse("2026-12-03T10:00:00.123456Z");

    @Test
    void absent_is_the_default_and_the_expiry_is_truncated_to_milliseconds() {
        assertEquals(Instant.parse("2026-12-10T10:00:00.123Z"), expiresIn.expiresAt(now, null));
        assertEquals(Instant.parse("2026-12-03T10:15:00.123Z"), expiresIn.expiresAt(now, "PT15M"));
        assertEquals(Instant.parse("2026-12-03T10:00:00.124Z"), expiresIn.expiresAt(now, "PT0.001S"));
    }

    @Test
    void zero_negative_sub_millisecond_over_the_maximum_and_unparsable_are_refused_naming_the_field() {
        for (String bad : new String[] {"PT0S", "-PT1H", "PT0.0001S", "P31D", "soon", "PT9223372036854775807S", ""}) {
            ProblemException refused = assertThrows(ProblemException.class, () -> expiresIn.parse(bad), bad);
            assertEquals(400, refused.problem().status(), bad);
            assertEquals("expiresIn", refused.problem().errors().get(0).field(), bad);
        }
    }
}
