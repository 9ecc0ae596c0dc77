package dev.tally.schemas.personal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Subject keys are stored only wrapped with the master key (from configuration: a Kubernetes
 * secret; the local stack generates one): AES-256-GCM with the subject and key id as associated
 * data, so a wrapped key moved to another subject does not unwrap. Whoever reads the key store
 * without the master key learns nothing.
 */
public final class KeyWrapping {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;

    private final byte[] master;

    /** @param masterKeyBase64 32 bytes, base64 (standard or url alphabet) */
    public KeyWrapping(String masterKeyBase64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(masterKeyBase64.trim());
        } catch (IllegalArgumentException standardFailed) {
            decoded = Base64.getUrlDecoder().decode(masterKeyBase64.trim());
        }
        if (decoded.length != SubjectKey.BYTES) {
            throw new IllegalArgumentException("the master key must be " + SubjectKey.BYTES + " bytes (base64), not "
                    + decoded.length);
        }
        this.master = decoded;
    }

    /** A fresh master key, base64: what the local stack generates once. */
    public static String generateMasterKey() {
        byte[] key = new byte[SubjectKey.BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public byte[] wrap(String subject, SubjectKey key) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] material = key.material();
        try {
            byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, aad(subject, key.keyId()), material);
            byte[] wrapped = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, wrapped, NONCE_BYTES, sealed.length);
            return wrapped;
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    public SubjectKey unwrap(String subject, String keyId, byte[] wrapped) {
        byte[] material = crypt(Cipher.DECRYPT_MODE, Arrays.copyOf(wrapped, NONCE_BYTES), aad(subject, keyId),
                Arrays.copyOfRange(wrapped, NONCE_BYTES, wrapped.length));
        try {
            return new SubjectKey(keyId, material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    private static byte[] aad(String subject, String keyId) {
        return ("tally-subject-key/" + subject + "/" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] crypt(int mode, byte[] nonce, byte[] aad, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException wrongKey) {
            throw new IllegalArgumentException("a wrapped subject key that does not unwrap with this master key"
                    + " (another master key, or another subject's key)", wrongKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    @Override
    public String toString() {
        return "KeyWrapping[master key hidden]";
    }
}
