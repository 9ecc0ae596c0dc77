package dev.tally.projection.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1));

    @Test
    void doubles_from_the_first_wait_up_to_the_most() {
        assertEquals(Duration.ofSeconds(5), schedule.after(1, () -> 0.5));
        assertEquals(Duration.ofSeconds(10), schedule.after(2, () -> 0.5));
        assertEquals(Duration.ofSeconds(20), schedule.after(3, () -> 0.5));
        assertEquals(Duration.ofSeconds(2560), schedule.after(10, () -> 0.5));
        assertEquals(Duration.ofHours(1), schedule.after(11, () -> 0.5));
        assertEquals(Duration.ofHours(1), schedule.after(1_000, () -> 0.5), "no overflow after many attempts");
    }

    @Test
    void jitter_spreads_each_wait_by_a_quarter_either_way() {
        assertEquals(Duration.ofMillis(7_500), schedule.after(2, () -> 0.0));
        assertEquals(Duration.ofMillis(12_500), schedule.after(2, () -> 1.0));
    }

    @Test
    void refuses_a_schedule_that_makes_no_sense() {
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
