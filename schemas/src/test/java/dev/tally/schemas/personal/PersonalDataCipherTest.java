package dev.tally.schemas.personal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Issue 16's crypto core: sealing personal values per subject and event, and forgetting by losing the key. */
class PersonalDataCipherTest {

    private final SubjectKey alices = SubjectKey.generate();
    private final Function<String, Optional<SubjectKey>> keys = id -> Optional.ofNullable(Map.of(alices.keyId(), alices).get(id));

    @Test
    void a_sealed_value_hides_the_text_and_opens_with_its_subjects_key_for_its_event() {
        String sealed = PersonalDataCipher.seal(alices, "event-1", "rent for Alice Müller, flat 3 \uD83C\uDFE0");
        assertTrue(sealed.startsWith("tally:sealed:v1:" + alices.keyId() + ":"), sealed);
        assertFalse(sealed.contains("Alice"), sealed);
        assertEquals("rent for Alice Müller, flat 3 \uD83C\uDFE0", PersonalDataCipher.reveal(sealed, "event-1", keys));
    }

    @Test
    void each_value_gets_a_fresh_nonce() {
        assertNotEquals(PersonalDataCipher.seal(alices, "event-1", "same"), PersonalDataCipher.seal(alices, "event-1", "same"));
    }

    @Test
    void once_the_key_is_gone_a_reader_sees_the_erased_marker_not_an_error() {
        String sealed = PersonalDataCipher.seal(alices, "event-1", "Alice");
        assertEquals(PersonalDataCipher.ERASED, PersonalDataCipher.reveal(sealed, "event-1", id -> Optional.empty()));
    }

    @Test
    void plain_text_from_before_encryption_reads_as_it_is_and_null_stays_null() {
        assertEquals("an old reference", PersonalDataCipher.reveal("an old reference", "event-0", keys));
        assertNull(PersonalDataCipher.seal(alices, "event-1", null));
        assertNull(PersonalDataCipher.reveal(null, "event-1", keys));
    }

    @Test
    void a_value_moved_to_another_event_or_altered_does_not_open() {
        String sealed = PersonalDataCipher.seal(alices, "event-1", "Alice");
        assertThrows(IllegalArgumentException.class, () -> PersonalDataCipher.reveal(sealed, "event-2", keys));
        SealedText parsed = SealedText.parse(sealed).orElseThrow();
        byte[] payload = parsed.payload();
        payload[payload.length - 1] ^= 1;
        String altered = new SealedText(parsed.keyId(), parsed.eventId(), payload).toString();
        assertThrows(IllegalArgumentException.class, () -> PersonalDataCipher.reveal(altered, "event-1", keys));
    }

    @Test
    void a_value_kept_without_its_event_opens_for_the_event_it_names_and_no_other() {
        String sealed = PersonalDataCipher.seal(alices, "event-1", "Alice");
        assertEquals("event-1", SealedText.parse(sealed).orElseThrow().eventId());
        assertEquals("Alice", PersonalDataCipher.reveal(sealed, keys));
        assertEquals(PersonalDataCipher.ERASED, PersonalDataCipher.reveal(sealed, id -> Optional.empty()));
        // naming another event in the text does not help: the tag binds the value to event-1
        SealedText parsed = SealedText.parse(sealed).orElseThrow();
        String renamed = new SealedText(parsed.keyId(), "event-2", parsed.payload()).toString();
        assertThrows(IllegalArgumentException.class, () -> PersonalDataCipher.reveal(renamed, keys));
    }

    @Test
    void a_malformed_sealed_value_is_refused_with_a_reason() {
        assertThrows(IllegalArgumentException.class, () -> SealedText.parse("tally:sealed:v9:k:AAAA"));
        assertThrows(IllegalArgumentException.class, () -> SealedText.parse("tally:sealed:v1::AAAA"));
        assertThrows(IllegalArgumentException.class, () -> SealedText.parse("tally:sealed:v1:k:AAAA"));
        assertThrows(IllegalArgumentException.class, () -> SealedText.parse("tally:sealed:v1:k::AAAA"));
        assertThrows(IllegalArgumentException.class, () -> SealedText.parse("tally:sealed:v1:k:e:not base64!"));
        assertThrows(IllegalArgumentException.class, () -> PersonalDataCipher.reveal("tally:sealed:v1:" + alices.keyId()
                + ":event-1:AAAA", "event-1", keys));
    }

    @Test
    void a_key_never_shows_its_material() {
        assertFalse(alices.toString().contains(java.util.HexFormat.of().formatHex(alices.material())));
        assertTrue(alices.toString().contains("hidden"));
    }

    @Test
    void a_wrapped_key_unwraps_with_its_master_key_and_subject_only() {
        KeyWrapping master = new KeyWrapping(KeyWrapping.generateMasterKey());
        byte[] wrapped = master.wrap("alice", alices);
        assertEquals(alices, master.unwrap("alice", alices.keyId(), wrapped));
        assertThrows(IllegalArgumentException.class, () -> master.unwrap("bob", alices.keyId(), wrapped));
        assertThrows(IllegalArgumentException.class,
                () -> new KeyWrapping(KeyWrapping.generateMasterKey()).unwrap("alice", alices.keyId(), wrapped));
        assertThrows(IllegalArgumentException.class, () -> new KeyWrapping("c2hvcnQ="));
    }
}
