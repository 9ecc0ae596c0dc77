package dev.tally.stack;

import dev.tally.stack.auth.LocalTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./run [--fresh]}: starts the local stack in the foreground until Ctrl-C.
 *
 * <p>Failures a developer can fix (a port in use, a bad variable) end in one line on stderr and
 * exit code 1, never in a stack trace.
 */
public final class LocalStackMain {

    private static final String USAGE = "usage: ./run [--fresh] [--instances command=3,projection=2,query=2]\n"
            + "  --fresh      deletes the data directory first\n"
            + "  --instances  more than one instance of a service, each further one on its port + 10, + 20 …";

    private LocalStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean fresh = false;
        Instances instances = Instances.one();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--fresh")) {
                fresh = true;
            } else if (arg.equals("--instances") || arg.startsWith("--instances=")) {
                String spec = arg.startsWith("--instances=") ? arg.substring("--instances=".length())
                        : i + 1 < args.length ? args[++i] : "";
                try {
                    instances = Instances.parse(spec);
                } catch (IllegalArgumentException e) {
                    System.err.println("tally: " + e.getMessage());
                    System.exit(2);
                }
            } else {
                System.err.println("tally: unknown argument " + arg);
                System.err.println(USAGE);
                System.exit(2);
            }
        }
        Path root = Path.of(System.getProperty("tally.root", "")).toAbsolutePath().normalize();
        StackSettings settings;
        try {
            settings = StackSettings.fromEnvironment(System.getenv(), root);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        long started = System.nanoTime();
        try {
            for (String leftover : LocalStack.stopLeftovers(settings.dataDir())) {
                say("stopped " + leftover + ", left over from an earlier run");
            }
            if (fresh) {
                DataDirectory.deleteForFreshStart(settings);
                say("deleted " + settings.dataDir() + " (--fresh)");
            }
            // All ports before anything starts: finding the last one taken after a minute of start-up is no help.
            for (StackSettings.NamedPort named : settings.ports()) {
                if (!Ports.isFree(named.port())) {
                    fail("port " + named.port() + " (" + named.variable() + ") is already in use; set " + named.variable() + " to another port");
                }
            }
            List<Instances.Extra> extras = instances.extras(settings);
            for (Instances.Extra extra : extras) {
                if (!Ports.isFree(extra.port())) {
                    fail("port " + extra.port() + " (" + extra.service() + " instance " + extra.number()
                            + ") is already in use; move the service's port or ask for fewer instances");
                }
            }
            LocalStack stack = LocalStack.start(settings, LocalStackMain::say);
            List<ServiceProcess> furtherInstances = startExtras(stack, extras);
            printWelcome(stack, started);
            furtherInstances.forEach(p -> System.out.printf("  %-19s http://localhost:%d  (instance, log %s)%n", p.name(), p.port(),
                    p.logFile()));
        } catch (StartupFailedException e) {
            fail(e.getMessage());
        }
        // Runs until Ctrl-C or SIGTERM; the stack's shutdown hook then stops every child.
        new CountDownLatch(1).await();
    }

    /**
     * The further instances, once the stack's own are ready; stopped with the stack's services on
     * Ctrl-C, and in the pid files like them, so a launcher killed with SIGKILL leaves nothing the
     * next start does not stop.
     */
    private static List<ServiceProcess> startExtras(LocalStack stack, List<Instances.Extra> extras) {
        List<ServiceProcess> processes = new java.util.ArrayList<>();
        for (Instances.Extra extra : extras) {
            say("starting " + extra.service() + " instance " + extra.number() + " on port " + extra.port() + " …");
            ServiceProcess process = stack.startInstance(extra.service(), extra.port(), extra.env());
            processes.add(process);
            process.awaitReady(java.time.Duration.ofMinutes(3));
        }
        return processes;
    }

    private static void printWelcome(LocalStack stack, long started) {
        StackSettings s = stack.settings();
        String logs = s.dataDir().resolve("logs").toString();
        System.out.printf("""

                tally: the stack is up in %s
                  command-service     http://localhost:%d
                  query-service       http://localhost:%d
                  projection-service  http://localhost:%d
                  Kafka               %s
                  PostgreSQL          %s  (user %s, password %s)
                  logs                %s
                %s
                Ctrl-C stops everything.
                """,
                Elapsed.since(started),
                s.commandPort(), s.queryPort(), s.projectionPort(),
                stack.bootstrapServers(),
                stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword(),
                logs,
                s.auth() ? withTokens(stack) : withoutAuth(s));
        System.out.flush();
    }

    /** Ready-made tokens, printed and kept in tokens.env so that another shell can {@code source} them. */
    private static String withTokens(LocalStack stack) {
        StackSettings s = stack.settings();
        LocalTokens tokens = stack.tokens();
        Map<String, String> made = new LinkedHashMap<>();
        made.put("TELLER", tokens.mint("teller-1", List.of("teller")));
        made.put("ALICE", tokens.mint("alice", List.of("customer")));
        made.put("BOB", tokens.mint("bob", List.of("customer")));
        made.put("AUDITOR", tokens.mint("auditor-1", List.of("auditor")));
        made.put("ADMIN", tokens.mint("admin-1", List.of("admin")));
        StringBuilder exports = new StringBuilder();
        made.forEach((name, token) -> exports.append("export ").append(name).append('=').append(token).append('\n'));
        Path file = s.dataDir().resolve("tokens.env");
        try {
            Files.writeString(file, exports);
        } catch (IOException e) {
            say("could not write " + file + ": " + e.getMessage());
        }
        return """

                Authentication is on. Tokens (12 h; teller-1, alice and bob as customers, auditor-1, admin-1),
                also in %s — in another shell: source %s
                %s
                Mint more: ./run token SUBJECT ROLE   (roles: customer, teller, auditor, admin)

                Try it:
                  curl -s -X POST localhost:%d/accounts -H "Authorization: Bearer $TELLER" -H 'Content-Type: application/json' -d '{"accountId":"alice-usd","owner":"alice","currency":"USD"}'
                  curl -s -X POST localhost:%d/accounts/alice-usd/deposits -H "Authorization: Bearer $TELLER" -H 'Content-Type: application/json' -d '{"amount":"30.00"}'
                  curl -s localhost:%d/accounts/alice-usd -H "Authorization: Bearer $ALICE"
                  curl -s localhost:%d/accounts/alice-usd -H "Authorization: Bearer $BOB"      # 404: not bob's
                """.formatted(file, file, exports.toString().indent(2).stripTrailing(),
                s.commandPort(), s.commandPort(), s.queryPort(), s.queryPort());
    }

    private static String withoutAuth(StackSettings s) {
        return """

                Authentication is OFF (TALLY_AUTH=off): anyone may do anything; an Actor header names the caller.

                Try it:
                  curl -s -X POST localhost:%d/accounts -H 'Content-Type: application/json' -d '{"accountId":"alice-usd","owner":"alice","currency":"USD"}'
                  curl -s -X POST localhost:%d/accounts/alice-usd/deposits -H 'Content-Type: application/json' -H 'Actor: teller-1' -d '{"amount":"30.00"}'
                  curl -s localhost:%d/accounts/alice-usd
                """.formatted(s.commandPort(), s.commandPort(), s.queryPort());
    }

    private static void say(String line) {
        System.out.println("tally: " + line);
    }

    private static void fail(String message) {
        System.err.println("tally: " + message);
        System.exit(1);
    }
}
