package dev.tally.stack.auth;

import dev.tally.schemas.personal.KeyWrapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The master key the local services wrap personal-data keys with (issue 16): made once per data
 * directory and kept there, readable by its owner only, so that keys published before a restart
 * still unwrap after it. {@code ./run --fresh} forgets it with everything else. On Kubernetes the
 * key comes from the {@code tally-master-key} secret instead.
 */
public final class LocalMasterKey {

    private LocalMasterKey() {
    }

    /** The base64 master key under {@code dataDir}, made first if there is none. */
    public static String ensure(Path dataDir) {
        Path file = dataDir.resolve("keys").resolve("master-key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Path fresh = Files.createTempFile(file.getParent(), "master-key", ".tmp");
                try {
                    Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the directory is the user's own either way
                }
                Files.writeString(fresh, KeyWrapping.generateMasterKey() + "\n");
                Files.move(fresh, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("could not make or read the master key " + file, e);
        }
    }
}
