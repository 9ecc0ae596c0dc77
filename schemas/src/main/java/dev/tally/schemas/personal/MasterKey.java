package dev.tally.schemas.personal;

import java.util.Optional;

/** The master key from configuration ({@code tally.master-key}), with a message that says what to do. */
public final class MasterKey {

    public static final String PROPERTY = "tally.master-key";

    private MasterKey() {
    }

    public static KeyWrapping from(Optional<String> configured) {
        String value = configured.filter(text -> !text.isBlank()).orElseThrow(() -> new IllegalStateException(
                PROPERTY + " (environment: TALLY_MASTER_KEY) is not set: 32 random bytes in base64, the same for every "
                        + "service (./run generates one; on Kubernetes it comes from the tally-master-key secret)"));
        try {
            return new KeyWrapping(value);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalStateException(PROPERTY + " is not a usable master key: " + invalid.getMessage());
        }
    }
}
