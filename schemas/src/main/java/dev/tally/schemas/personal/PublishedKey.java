package dev.tally.schemas.personal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * One account's key as it is kept and published: wrapped with the master key, never in clear. The
 * value of {@code tally.ledger.subject-keys} (keyed by account id) and of the write model's key store.
 * Encoded as three lines, {@code v1}, key id, base64 wrapped key, then the owner (last, so any text
 * it holds stays whole): small, readable with any client, and no JSON library in the schemas jar.
 */
public record PublishedKey(String owner, String keyId, byte[] wrapped) {

    private static final String VERSION = "v1";

    public PublishedKey {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(keyId, "keyId");
        wrapped = wrapped.clone();
    }

    /** Wraps a fresh key for {@code accountId}; the account id is the wrapping's associated data. */
    public static PublishedKey wrap(KeyWrapping master, String accountId, String owner, SubjectKey key) {
        return new PublishedKey(owner, key.keyId(), master.wrap(accountId, key));
    }

    public SubjectKey unwrap(KeyWrapping master, String accountId) {
        return master.unwrap(accountId, keyId, wrapped);
    }

    public byte[] encode() {
        return (VERSION + "\n" + keyId + "\n" + Base64.getEncoder().encodeToString(wrapped) + "\n" + owner)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Null for null (a tombstone). */
    public static PublishedKey decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\n", 4);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw new IllegalArgumentException("not a published key of version " + VERSION);
        }
        return new PublishedKey(parts[3], parts[1], Base64.getDecoder().decode(parts[2]));
    }

    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublishedKey that && owner.equals(that.owner) && keyId.equals(that.keyId)
                && java.util.Arrays.equals(wrapped, that.wrapped);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, keyId, java.util.Arrays.hashCode(wrapped));
    }

    @Override
    public String toString() {
        return "PublishedKey[owner=" + owner + ", keyId=" + keyId + ", wrapped]";
    }
}
