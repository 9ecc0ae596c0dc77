package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.stack.Instances;
import dev.tally.stack.LocalStack;
import dev.tally.stack.ServiceProcess;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17: the {@link BankWorkload} against three command-service and two projection-service
 * instances (as {@code ./run --instances command=3,projection=2} starts them), commands spread over
 * the three as a load balancer would; meanwhile one command-service instance and one
 * projection-service instance are killed with SIGKILL and started again, and the accounts
 * projection is rebuilt on one projection instance while the other applies events and is killed.
 * Every guarantee of the one-instance bank must still hold: money conserved, each acknowledged
 * command once, no balance below its limit, read models equal to the log and to a replay.
 */
class MultiInstanceBankSystemTest extends BankWorkload {

    private final LocalStack stack = SharedStack.get();
    /** The further instances by name ("command-service 2" …), replaced when one is killed and started again. */
    private final Map<String, ServiceProcess> extras = new ConcurrentHashMap<>();
    private final Map<String, Instances.Extra> plans = new ConcurrentHashMap<>();
    private final List<String> commandUrls = new ArrayList<>();
    private final AtomicInteger nextCommand = new AtomicInteger();

    @Override
    protected LocalStack stack() {
        return stack;
    }

    @Override
    protected String commandUrl() {
        return commandUrls.get(Math.floorMod(nextCommand.getAndIncrement(), commandUrls.size()));
    }

    @Override
    protected List<String> projectionUrls() {
        return List.of(stack.projectionUrl(), extras.get(LocalStack.PROJECTION_SERVICE + " 2").baseUrl());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void a_bank_on_three_command_and_two_projection_instances_keeps_every_guarantee_through_crashes_and_a_rebuild()
            throws Exception {
        commandUrls.add(stack.commandUrl());
        for (Instances.Extra planned : Instances.parse("command=3,projection=2").extras(stack.settings())) {
            // The shared stack is on free ports, so the further instances are too (not its port + 10).
            Instances.Extra extra = new Instances.Extra(planned.service(), planned.number(), freePort(), planned.env());
            String name = extra.service() + " " + extra.number();
            plans.put(name, extra);
            extras.put(name, start(extra));
            if (extra.service().equals(LocalStack.COMMAND_SERVICE)) {
                commandUrls.add(extras.get(name).baseUrl());
            }
        }
        assertEquals(3, commandUrls.size());
        runBank();
    }

    /**
     * kill -9 of a further command-service instance (its partitions move to the other two), a rebuild
     * of the accounts projection on the second projection instance, kill -9 of the first projection
     * instance during that rebuild, kill -9 of the first command-service instance; then the rebuild
     * must have finished (DONE on both instances), not failed.
     */
    @Override
    protected void nemesis() {
        pause(6);
        crashExtra(LocalStack.COMMAND_SERVICE + " 2");
        pause(3);
        ServiceProcess secondProjection = extras.get(LocalStack.PROJECTION_SERVICE + " 2");
        mark("rebuild accounts on projection-service 2");
        Http.Reply started = Http.staffOf(stack).post(secondProjection.baseUrl() + "/projections/accounts/rebuild", "");
        assertEquals(202, started.status(), started::toString);
        pause(1);
        crash(LocalStack.PROJECTION_SERVICE);
        pause(4);
        crash(LocalStack.COMMAND_SERVICE);
        pause(8);
        mark("clients stop");
        awaitRebuildDone(List.of(secondProjection.baseUrl(), stack.projectionUrl()), started.json().get("startedAt").asText());
        mark("rebuild seen done by both projection instances");
    }

    private void crashExtra(String name) {
        mark("kill -9 " + name);
        extras.get(name).kill();
        extras.put(name, start(plans.get(name)));
        mark(name + " ready");
    }

    private ServiceProcess start(Instances.Extra extra) {
        ServiceProcess process = stack.startExtraInstance(extra.service(), extra.port(), extra.env());
        process.awaitReady(Duration.ofMinutes(3));
        return process;
    }

    private void awaitRebuildDone(List<String> projectionUrls, String startedAt) {
        Http http = Http.staffOf(stack);
        // No deadline here: a rebuild that hangs is caught by the test's @Timeout, a hang guard, not a speed check.
        for (String url : projectionUrls) {
            while (true) {
                JsonNode rebuild = http.get(url + "/projections/accounts").json().get("rebuild");
                String status = rebuild.path("status").asText();
                if (status.equals("DONE")) {
                    assertEquals(startedAt, rebuild.get("startedAt").asText(), () -> url + " reports another rebuild: " + rebuild);
                    break;
                }
                assertNotEquals("FAILED", status, () -> url + ": " + rebuild);
                pause(1);
            }
        }
    }

    @AfterEach
    void stopExtras() {
        extras.values().forEach(ServiceProcess::close);
    }

    private static int freePort() {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
