package dev.tally.command.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadSupervisorTest {

    @Test
    void a_dying_stream_thread_is_replaced_a_few_times_then_the_write_model_shuts_down_and_stops_being_alive() {
        StreamThreadSupervisor supervisor = new StreamThreadSupervisor();
        for (int i = 0; i < StreamThreadSupervisor.MAX_REPLACEMENTS; i++) {
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD,
                    supervisor.handle(new IllegalStateException("death " + i)));
        }
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
                supervisor.handle(new IllegalStateException("one death too many")));
    }
}
