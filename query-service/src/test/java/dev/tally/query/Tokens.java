package dev.tally.query;

import dev.tally.stack.auth.LocalKeys;
import dev.tally.stack.auth.LocalTokens;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/** Real RS256 bearer tokens, minted as {@code ./run token} does with the key pair the service checks against. */
public final class Tokens {

    private Tokens() {
    }

    public static String bearer(String subject, String... roles) {
        Path dataDir = Path.of(ConfigProvider.getConfig().getValue(ReadModelDatabase.DATA_DIR, String.class));
        return "Bearer " + new LocalTokens(LocalKeys.ensure(dataDir)).mint(subject, List.of(roles));
    }

    public static String customer(String subject) {
        return bearer(subject, "customer");
    }

    public static String teller() {
        return bearer("teller-1", "teller");
    }

    public static String auditor() {
        return bearer("auditor-1", "auditor");
    }
}
