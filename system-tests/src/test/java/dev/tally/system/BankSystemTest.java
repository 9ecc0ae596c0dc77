package dev.tally.system;

import dev.tally.stack.LocalStack;
import dev.tally.stack.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, section 7: the {@link BankWorkload} against one instance of each service, while the
 * command service is killed with SIGKILL three times, the projection service twice and the Kafka
 * broker once.
 *
 * <p>Its own stack: killing the broker of the shared one would disturb every class that shares it.
 */
// A hang guard for each test (waits such as a rebuild's have no deadline of their own), not a speed check.
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BankSystemTest extends BankWorkload {

    private static LocalStack stack;

    @BeforeAll
    static void ownStack() throws Exception {
        Path root = Path.of(System.getProperty("tally.repository.root", "..")).toAbsolutePath().normalize();
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bank-stack-");
        // Always the embedded broker, whatever -Dtally.infra says: the workload kills Kafka and brings it
        // back on the same port with the same data, which a container's mapped port does not promise.
        stack = LocalStack.start(StackSettings.onFreePorts(root, dataDir), line -> System.out.println("bank stack: " + line));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Override
    protected LocalStack stack() {
        return stack;
    }

    @Test
    void a_bank_under_crashes_of_every_part_conserves_money_and_applies_each_command_once() throws Exception {
        runBank();
    }

    /** Three SIGKILLs of the command service, two of the projection service, one of the broker, while the clients run. */
    @Override
    protected void nemesis() {
        pause(6);
        crash(LocalStack.COMMAND_SERVICE);
        pause(4);
        crash(LocalStack.PROJECTION_SERVICE);
        pause(4);
        mark("kill -9 kafka");
        stack.killKafka();
        pause(3);
        stack.startKafka();
        mark("kafka ready");
        pause(10);
        crash(LocalStack.COMMAND_SERVICE);
        pause(4);
        crash(LocalStack.PROJECTION_SERVICE);
        pause(4);
        crash(LocalStack.COMMAND_SERVICE);
        pause(8);
        mark("clients stop");
    }
}
