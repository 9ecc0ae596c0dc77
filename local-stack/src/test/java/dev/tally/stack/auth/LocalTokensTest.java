package dev.tally.stack.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTokensTest {

    @TempDir
    Path dataDir;

    @Test
    void a_minted_token_is_an_rs256_jwt_the_public_key_verifies() throws Exception {
        LocalKeys keys = LocalKeys.ensure(dataDir);
        Instant issued = Instant.parse("2026-11-23T10:00:00Z");
        String token = new LocalTokens(keys).mint("alice", List.of("customer"), issued, Duration.ofHours(2), LocalKeys.ISSUER);

        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        ObjectMapper json = new ObjectMapper();
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("RS256", header.get("alg").asText());
        assertEquals("alice", claims.get("sub").asText());
        assertEquals("customer", claims.get("groups").get(0).asText());
        assertEquals(LocalKeys.ISSUER, claims.get("iss").asText());
        assertEquals(issued.plus(Duration.ofHours(2)).getEpochSecond(), claims.get("exp").asLong());

        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(keys.publicKey());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rsa.verify(Base64.getUrlDecoder().decode(parts[2])));
    }

    @Test
    void the_key_pair_survives_a_restart() {
        LocalKeys first = LocalKeys.ensure(dataDir);
        LocalKeys again = LocalKeys.ensure(dataDir);
        assertEquals(first.publicKey(), again.publicKey());
        assertEquals(first.privateKey(), again.privateKey());
    }
}
