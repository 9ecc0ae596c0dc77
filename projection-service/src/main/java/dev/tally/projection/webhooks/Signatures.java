package dev.tally.projection.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code webhook-signature} is {@code v1,<base64 HMAC-SHA256>} of
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the base64 part of a
 * {@code whsec_<base64>} secret; several, separated by spaces, while a rotated secret is still valid.
 */
public final class Signatures {

    public static final String SECRET_PREFIX = "whsec_";
    /** 24 random bytes, as the reference implementations generate: 192 bits. */
    private static final int GENERATED_BYTES = 24;
    private static final Pattern SECRET = Pattern.compile("whsec_[A-Za-z0-9+/]+={0,2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {
    }

    public static String newSecret() {
        byte[] key = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Why a secret a client chose is not acceptable, or empty: {@code whsec_} and base64 of 24 to 64 bytes. */
    public static Optional<String> problemWith(String secret) {
        if (secret.length() > 200 || !SECRET.matcher(secret).matches()) {
            return Optional.of("must be whsec_ followed by base64 (24 to 64 random bytes)");
        }
        try {
            int bytes = key(secret).length;
            return bytes >= 24 && bytes <= 64 ? Optional.empty()
                    : Optional.of("must hold 24 to 64 bytes of key (it holds " + bytes + ")");
        } catch (IllegalArgumentException notBase64) {
            return Optional.of("must be whsec_ followed by base64 (24 to 64 random bytes)");
        }
    }

    /** {@code v1,<signature>} for one secret. */
    public static String sign(String secret, String webhookId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] signed = mac.doFinal((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The header value: one signature per valid secret, newest first. */
    public static String header(List<String> secrets, String webhookId, long timestampSeconds, String body) {
        return String.join(" ", secrets.stream().map(secret -> sign(secret, webhookId, timestampSeconds, body)).toList());
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
