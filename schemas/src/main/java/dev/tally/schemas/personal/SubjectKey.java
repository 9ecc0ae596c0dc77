package dev.tally.schemas.personal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A data subject's own AES-256 key, named by {@code keyId} (what a sealed value carries, so that a
 * subject may have several keys, made by two instances at once, and a reader knows which one).
 * Its material is never in {@link #toString()}: keys must not reach a log.
 */
public final class SubjectKey {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int BYTES = 32;

    private final String keyId;
    private final byte[] material;

    public SubjectKey(String keyId, byte[] material) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        if (keyId.isEmpty() || keyId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a key id is non-empty and has no ':'");
        }
        if (material.length != BYTES) {
            throw new IllegalArgumentException("a subject key is " + BYTES + " bytes, not " + material.length);
        }
        this.material = material.clone();
    }

    /** A fresh random key with a fresh random id. */
    public static SubjectKey generate() {
        byte[] id = new byte[12];
        byte[] material = new byte[BYTES];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(material);
        return new SubjectKey(HexFormat.of().formatHex(id), material);
    }

    public String keyId() {
        return keyId;
    }

    /** A copy: the caller may wipe it. */
    public byte[] material() {
        return material.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectKey k && k.keyId.equals(keyId) && Arrays.equals(k.material, material);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    @Override
    public String toString() {
        return "SubjectKey[" + keyId + ", material hidden]";
    }
}
