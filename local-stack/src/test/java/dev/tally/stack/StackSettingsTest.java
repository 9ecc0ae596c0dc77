package dev.tally.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackSettingsTest {

    private static final Path ROOT = Path.of("/tmp/tally-root");

    @Test
    void authentication_is_on_unless_tally_auth_says_off() {
        assertTrue(StackSettings.fromEnvironment(Map.of(), ROOT).auth());
        assertTrue(StackSettings.fromEnvironment(Map.of("TALLY_AUTH", "on"), ROOT).auth());
        assertFalse(StackSettings.fromEnvironment(Map.of("TALLY_AUTH", "off"), ROOT).auth());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackSettings.fromEnvironment(Map.of("TALLY_AUTH", "no"), ROOT));
        assertEquals("TALLY_AUTH must be 'on' (the default) or 'off', got 'no'", e.getMessage());
    }
}
