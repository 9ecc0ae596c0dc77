package dev.tally.command.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommandRateLimitsTest {

    private final AtomicLong now = new AtomicLong();
    private final CommandRateLimits limits = new CommandRateLimits(2, 5, now::get);

    @Test
    void a_principal_may_spend_its_burst_at_once_and_then_waits() {
        for (int i = 0; i < 5; i++) {
            assertTrue(limits.take("alice").allowed(), "command " + i + " is within the burst");
        }
        CommandRateLimits.Verdict refused = limits.take("alice");
        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds(), "at 2 per second the next token comes within a second");
    }

    @Test
    void tokens_come_back_at_the_configured_rate() {
        for (int i = 0; i < 5; i++) {
            limits.take("alice");
        }
        now.addAndGet(1_000_000_000L); // one second: two tokens
        assertTrue(limits.take("alice").allowed());
        assertTrue(limits.take("alice").allowed());
        assertFalse(limits.take("alice").allowed());
    }

    @Test
    void one_principal_spending_its_limit_does_not_touch_anothers() {
        for (int i = 0; i < 6; i++) {
            limits.take("alice");
        }
        assertTrue(limits.take("bob").allowed());
    }

    @Test
    void a_slow_limit_says_how_many_seconds_to_wait() {
        CommandRateLimits slow = new CommandRateLimits(0.1, 1, now::get);
        assertTrue(slow.take("alice").allowed());
        assertEquals(10, slow.take("alice").retryAfterSeconds());
    }
}
