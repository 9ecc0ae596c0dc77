package dev.tally.projection.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mapping itself: only what PostgreSQL cannot hold changes, and it becomes U+FFFD. */
class StorableTextTest {

    @Test
    void nul_and_lone_surrogates_become_the_replacement_character_and_nothing_else_changes() {
        assertEquals("a\uFFFDb", StorableText.of("a\u0000b"));
        assertEquals("\uFFFDx\uFFFD", StorableText.of("\uD800x\uDC00"));
        assertEquals("\uFFFD", StorableText.of("\uDBFF"));
        String odd = "\u0001\u001F\u007F\u0085\uFFFF\u202E💸e\u0301\uFEFF";
        assertSame(odd, StorableText.of(odd));
    }

    @Test
    void every_string_of_an_event_is_mapped_map_keys_and_the_envelope_too() {
        FundsDeposited event = FundsDeposited.newBuilder()
                .setMeta(EventMeta.newBuilder().setEventId("e").setAccountId("a").setSequence(1)
                        .setOccurredAt(Instant.EPOCH).setCommandId("c").setCorrelationId("c").setCausationId(null)
                        .setActor("x\u0000").setIdempotencyKey(null).setRequestHash(null).build())
                .setTransactionId("t").setAmountMinor(1).setCurrency("USD").setBalanceAfterMinor(1)
                .setReference("r\u0000").setMetadata(Map.of("k\u0000", "v\u0000")).build();

        StorableText.event(event);

        assertEquals("x\uFFFD", event.getMeta().getActor());
        assertEquals("r\uFFFD", event.getReference());
        assertEquals(Map.of("k\uFFFD", "v\uFFFD"), event.getMetadata());
    }
}
