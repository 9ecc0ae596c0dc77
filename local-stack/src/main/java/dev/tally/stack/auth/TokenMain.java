package dev.tally.stack.auth;

import dev.tally.stack.StackSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./run token SUBJECT ROLE[,ROLE…]}: prints a bearer token for the local stack, signed with
 * its key pair (made if the stack has not run yet), valid 12 hours. Only the token goes to stdout,
 * so {@code TOKEN=$(./run token alice customer)} works.
 */
public final class TokenMain {

    static final List<String> ROLES = List.of("customer", "teller", "auditor", "admin");
    private static final String USAGE = "usage: ./run token SUBJECT ROLE[,ROLE...]   (roles: customer, teller, auditor, admin)";

    private TokenMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || args[0].isBlank()) {
            fail(USAGE, 2);
        }
        List<String> roles = new ArrayList<>();
        for (String role : args[1].split(",")) {
            String name = role.trim().toLowerCase(Locale.ROOT);
            if (!ROLES.contains(name)) {
                fail("unknown role '" + role + "'; " + USAGE, 2);
            }
            roles.add(name);
        }
        Path root = Path.of(System.getProperty("tally.root", "")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.fromEnvironment(System.getenv(), root);
        System.out.println(new LocalTokens(LocalKeys.ensure(settings.dataDir())).mint(args[0], roles));
    }

    private static void fail(String message, int code) {
        System.err.println("tally: " + message);
        System.exit(code);
    }
}
