package dev.tally.projection.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    @Test
    void reproduces_the_standard_webhooks_specification_test_vector() {
        // The vector every Standard Webhooks library is tested with: a receiver's library accepts what we send.
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                Signatures.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                        "{\"test\": 2432232314}"));
    }

    @Test
    void while_a_rotated_secret_overlaps_both_sign_newest_first_separated_by_a_space() {
        String header = Signatures.header(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_" + "A".repeat(32)),
                "msg_1", 1, "{}");
        String[] signatures = header.split(" ");
        assertEquals(2, signatures.length);
        assertEquals(Signatures.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", 1, "{}"), signatures[0]);
        assertEquals(Signatures.sign("whsec_" + "A".repeat(32), "msg_1", 1, "{}"), signatures[1]);
        assertNotEquals(signatures[0], signatures[1]);
    }

    @Test
    void generated_secrets_are_whsec_with_24_random_bytes_and_differ() {
        String one = Signatures.newSecret();
        String two = Signatures.newSecret();
        assertTrue(one.startsWith("whsec_"));
        assertEquals(24, Base64.getDecoder().decode(one.substring(6)).length);
        assertNotEquals(one, two);
        assertTrue(Signatures.problemWith(one).isEmpty());
    }

    @Test
    void a_chosen_secret_must_be_whsec_and_base64_of_24_to_64_bytes() {
        assertTrue(Signatures.problemWith("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").isEmpty());
        assertTrue(Signatures.problemWith("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").isPresent(), "no prefix");
        assertTrue(Signatures.problemWith("whsec_c2hvcnQ=").isPresent(), "5 bytes is too short a key");
        assertTrue(Signatures.problemWith("whsec_not base64!").isPresent());
        assertTrue(Signatures.problemWith("whsec_" + "A".repeat(120)).isPresent(), "90 bytes is more than 64");
    }
}
