package dev.tally.stack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./run [--fresh]}: starts the local stack in the foreground until Ctrl-C.
 *
 * <p>Failures a developer can fix (a port in use, a bad variable) end in one line on stderr and
 * exit code 1, never in a stack trace.
 */
public final class LocalStackMain {

    private static final String USAGE = "usage: ./run [--fresh]    (--fresh deletes the data directory first)";

    private LocalStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean fresh = false;
        for (String arg : args) {
            if (arg.equals("--fresh")) {
                fresh = true;
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
            LocalStack stack = LocalStack.start(settings, LocalStackMain::say);
            printWelcome(stack, started);
        } catch (StartupFailedException e) {
            fail(e.getMessage());
        }
        // Runs until Ctrl-C or SIGTERM; the stack's shutdown hook then stops every child.
        new CountDownLatch(1).await();
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

                Try it:
                  curl -s -X POST localhost:%d/accounts -H 'Content-Type: application/json' -d '{"accountId":"alice","owner":"alice","currency":"USD"}'
                  curl -s -X POST localhost:%d/accounts/alice/deposits -H 'Content-Type: application/json' -d '{"amount":"30.00"}'
                  curl -s localhost:%d/accounts/alice

                Ctrl-C stops everything.
                """,
                Elapsed.since(started),
                s.commandPort(), s.queryPort(), s.projectionPort(),
                stack.bootstrapServers(),
                stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword(),
                logs,
                s.commandPort(), s.commandPort(), s.queryPort());
        System.out.flush();
    }

    private static void say(String line) {
        System.out.println("tally: " + line);
    }

    private static void fail(String message) {
        System.err.println("tally: " + message);
        System.exit(1);
    }
}
