package dev.tally.command.platform;

/**
 * No result arrived within the wait. The command may still be applied later: the client should
 * retry with the same Idempotency-Key rather than assume it failed.
 */
public class CommandTimeoutException extends RuntimeException {

    public CommandTimeoutException(String commandId) {
        super("No result for command " + commandId + " within the wait; it may still be applied");
    }
}
