package dev.tally.command.writemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event ids are on the topic forever: the faster derivation must give exactly the ids the JDK's did. */
class EventIdTest {

    @Test
    void event_ids_are_the_name_based_uuids_of_command_id_and_index() {
        for (String commandId : new String[] {"", "c-1", UUID.randomUUID().toString(), "ünïcode-✓", "x".repeat(300)}) {
            for (int index = 0; index < 4; index++) {
                String expected = UUID.nameUUIDFromBytes((commandId + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
                assertEquals(expected, LedgerEventMapper.eventId(commandId, index), commandId + "#" + index);
            }
        }
    }
}
