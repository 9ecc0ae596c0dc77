package dev.tally.stack;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a child process and everything it started, politely first. */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Sends SIGTERM, waits up to {@code grace}, then SIGKILLs whatever is left. Descendants are
     * collected before the parent goes, because once it is dead they are re-parented and no longer
     * show up as its descendants.
     */
    static void stop(ProcessHandle root, Duration grace) {
        List<ProcessHandle> descendants = root.descendants().toList();
        root.destroy();
        descendants.forEach(ProcessHandle::destroy);
        awaitExit(root, grace);
        for (ProcessHandle child : descendants) {
            awaitExit(child, Duration.ofSeconds(2));
        }
        kill(root);
        descendants.forEach(ProcessTree::kill);
    }

    /** SIGKILL at once: what a crash looks like to the rest of the stack. */
    static void kill(ProcessHandle process) {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(10));
        }
    }

    private static void awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still alive: the caller escalates
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
