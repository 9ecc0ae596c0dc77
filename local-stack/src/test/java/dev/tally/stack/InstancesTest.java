package dev.tally.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstancesTest {

    private final StackSettings settings = StackSettings.fromEnvironment(Map.of(), Path.of("/tmp/tally-root"));

    @Test
    void each_further_instance_gets_its_own_port_state_directory_and_membership_id() {
        List<Instances.Extra> extras = Instances.parse("command=3,projection=2,query=2").extras(settings);
        assertEquals(List.of("command-service 2", "command-service 3", "projection-service 2", "query-service 2"),
                extras.stream().map(e -> e.service() + " " + e.number()).toList());
        assertEquals(List.of(settings.commandPort() + 10, settings.commandPort() + 20, settings.projectionPort() + 10,
                settings.queryPort() + 10), extras.stream().map(Instances.Extra::port).toList());
        Set<Integer> ports = new HashSet<>(List.of(settings.commandPort(), settings.queryPort(), settings.projectionPort(),
                settings.kafkaPort(), settings.postgresPort()));
        extras.forEach(e -> assertTrue(ports.add(e.port()), "port " + e.port() + " taken twice"));
        assertEquals(Set.of(settings.dataDir().resolve("command-service/streams-2").toString(),
                        settings.dataDir().resolve("command-service/streams-3").toString()),
                Set.of(extras.get(0).env().get("TALLY_STREAMS_STATE_DIR"), extras.get(1).env().get("TALLY_STREAMS_STATE_DIR")));
        assertEquals("local-projection-2", extras.get(2).env().get("TALLY_PROJECTION_INSTANCE_ID"));
        assertEquals(List.of(), Instances.one().extras(settings));
    }

    @Test
    void a_spec_that_is_not_service_equals_count_is_refused_with_what_is_wrong() {
        for (String bad : List.of("command", "commands=2", "command=0", "command=7", "command=x", "command=2,command=3", "")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Instances.parse(bad), bad);
            assertTrue(refused.getMessage().startsWith("--instances"), refused.getMessage());
        }
    }
}
