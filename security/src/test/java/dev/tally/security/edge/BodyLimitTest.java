package dev.tally.security.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.runtime.configuration.MemorySize;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BodyLimitTest {

    @Test
    void a_body_of_exactly_the_limit_is_read_whole() throws IOException {
        InputStream body = new BodyLimit.Bounded(new ByteArrayInputStream(new byte[100]), 100);
        assertEquals(100, body.readAllBytes().length);
    }

    @Test
    void one_byte_past_the_limit_fails_the_read_with_413() {
        InputStream body = new BodyLimit.Bounded(new ByteArrayInputStream(new byte[101]), 100);
        assertThrows(BodyLimit.TooLarge.class, body::readAllBytes);
    }

    @Test
    void single_byte_reads_and_skips_are_counted_too() throws IOException {
        InputStream body = new BodyLimit.Bounded(new ByteArrayInputStream(new byte[10]), 5);
        assertEquals(4, body.skip(4));
        body.read();
        assertThrows(BodyLimit.TooLarge.class, body::read);
        assertFalse(body.markSupported(), "a reset would let bytes go uncounted");
    }

    @Test
    void our_limit_wins_and_without_one_the_decoders_is_the_limit() {
        MemorySize decoder = new MemorySize(BigInteger.valueOf(1 << 20));
        assertEquals(64 * 1024, BodyLimit.maxBodyBytes(Optional.of(new MemorySize(BigInteger.valueOf(64 * 1024))), decoder));
        assertEquals(1 << 20, BodyLimit.maxBodyBytes(Optional.empty(), decoder));
    }
}
