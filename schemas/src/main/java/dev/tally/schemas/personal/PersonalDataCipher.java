package dev.tally.schemas.personal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for personal values: a fresh 96-bit nonce per value, a 128-bit tag, and the event's id
 * as associated data, so a sealed value copied into another event does not open there. Pure: the
 * keys come from the caller.
 */
public final class PersonalDataCipher {

    /** What a reader shows for a personal value whose subject has been forgotten. */
    public static final String ERASED = "[erased]";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private PersonalDataCipher() {
    }

    /** The value sealed with the subject's key for the event {@code eventId}; null stays null. */
    public static String seal(SubjectKey key, String eventId, String plaintext) {
        if (plaintext == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key, nonce, eventId, plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] payload = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, payload, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, payload, NONCE_BYTES, sealed.length);
        return new SealedText(key.keyId(), eventId, payload).toString();
    }

    /**
     * The plain value: {@code text} itself if it was never sealed (events from before encryption),
     * the opened value if its key is found, {@link #ERASED} if the key is gone. A value that does not
     * open with its own key (altered, or moved from another event) throws: that is not forgetting.
     */
    public static String reveal(String text, String eventId, Function<String, Optional<SubjectKey>> keys) {
        Optional<SealedText> sealed = SealedText.parse(text);
        if (sealed.isEmpty()) {
            return text;
        }
        return open(sealed.get(), eventId, keys);
    }

    /**
     * As {@link #reveal(String, String, Function)} for a value kept without its event (a read-model
     * row): it opens for the event id it names, which its tag still binds it to.
     */
    public static String reveal(String text, Function<String, Optional<SubjectKey>> keys) {
        Optional<SealedText> sealed = SealedText.parse(text);
        return sealed.isEmpty() ? text : open(sealed.get(), sealed.get().eventId(), keys);
    }

    private static String open(SealedText sealed, String eventId, Function<String, Optional<SubjectKey>> keys) {
        Optional<SubjectKey> key = keys.apply(sealed.keyId());
        if (key.isEmpty()) {
            return ERASED;
        }
        byte[] payload = sealed.payload();
        if (payload.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("a sealed value too short to be one");
        }
        byte[] nonce = java.util.Arrays.copyOf(payload, NONCE_BYTES);
        byte[] body = java.util.Arrays.copyOfRange(payload, NONCE_BYTES, payload.length);
        return new String(crypt(Cipher.DECRYPT_MODE, key.get(), nonce, eventId, body), StandardCharsets.UTF_8);
    }

    private static byte[] crypt(int mode, SubjectKey key, byte[] nonce, String eventId, byte[] input) {
        byte[] material = key.material();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(material, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(eventId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException altered) {
            throw new IllegalArgumentException("a sealed value that does not open with its key for event " + eventId
                    + " (altered, or from another event)", altered);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            java.util.Arrays.fill(material, (byte) 0);
        }
    }
}
