package dev.tally.stack.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The local stack's token-signing key pair, in {@code <data dir>/keys}: made on first start, kept
 * across restarts (so minted tokens stay valid), gone with {@code ./run --fresh}. The services get
 * the public half; the private half only ever signs local tokens. Nothing here is for production,
 * where an identity provider signs the tokens.
 */
public record LocalKeys(Path publicKeyFile, PrivateKey privateKey) {

    /** The issuer the local services expect and local tokens carry. */
    public static final String ISSUER = "https://tally.local";

    private static final String PUBLIC = "jwt-public.pem";
    private static final String PRIVATE = "jwt-private.pem";

    /** Loads the key pair under {@code dataDir}, making it first if there is none. */
    public static LocalKeys ensure(Path dataDir) {
        Path dir = dataDir.resolve("keys");
        Path publicFile = dir.resolve(PUBLIC);
        Path privateFile = dir.resolve(PRIVATE);
        try {
            if (!Files.exists(publicFile) || !Files.exists(privateFile)) {
                Files.createDirectories(dir);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                writePem(privateFile, "PRIVATE KEY", pair.getPrivate().getEncoded(), true);
                writePem(publicFile, "PUBLIC KEY", pair.getPublic().getEncoded(), false);
            }
            byte[] der = readPem(privateFile);
            return new LocalKeys(publicFile, KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not make or read the local key pair in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the local key pair in " + dir + " is unusable; ./run --fresh makes a new one", e);
        }
    }

    /** The public key, as the services read it. */
    public PublicKey publicKey() {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(readPem(publicKeyFile)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the services' {@code mp.jwt.verify.publickey.location} must say. */
    public String publicKeyLocation() {
        return "file:" + publicKeyFile.toAbsolutePath();
    }

    private static void writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        Files.writeString(file, pem);
        if (secret) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the data directory's own permissions are all there is
            }
        }
    }

    private static byte[] readPem(Path file) throws IOException {
        String body = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
