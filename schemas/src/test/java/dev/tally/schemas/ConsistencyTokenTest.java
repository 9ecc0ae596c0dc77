package dev.tally.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {

    @Test
    void a_token_decodes_to_the_versions_it_was_made_of() {
        ConsistencyToken token = new ConsistencyToken(Map.of("alice", 3L, "bob:eur", 12L));

        assertEquals(token, ConsistencyToken.decode(token.encode()).orElseThrow());
    }

    @Test
    void text_that_is_not_a_token_is_refused_rather_than_guessed() {
        assertTrue(ConsistencyToken.decode("alice@3").isEmpty());
        assertTrue(ConsistencyToken.decode("v1.%%%").isEmpty());
        assertTrue(ConsistencyToken.decode("v1.").isEmpty());
        assertTrue(ConsistencyToken.decode(null).isEmpty());
    }
}
