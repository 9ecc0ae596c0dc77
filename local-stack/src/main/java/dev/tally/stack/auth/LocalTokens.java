package dev.tally.stack.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints RS256 bearer tokens for the local stack, in the shape the services expect from an identity
 * provider: {@code iss}, {@code sub} (the caller, who becomes each event's actor), {@code groups}
 * (the roles), {@code iat}, {@code exp}.
 */
public final class LocalTokens {

    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final LocalKeys keys;

    public LocalTokens(LocalKeys keys) {
        this.keys = keys;
    }

    public String mint(String subject, List<String> roles) {
        return mint(subject, roles, Instant.now(), DEFAULT_LIFETIME, LocalKeys.ISSUER);
    }

    /** A token with every claim chosen by the caller: tests use it for expired and foreign tokens. */
    public String mint(String subject, List<String> roles, Instant issuedAt, Duration lifetime, String issuer) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", "tally-local");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", roles);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", issuedAt.plus(lifetime).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a local token", e);
        }
    }

    static String encode(Map<String, Object> json) {
        try {
            return URL.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
