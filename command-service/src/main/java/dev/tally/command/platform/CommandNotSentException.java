package dev.tally.command.platform;

/**
 * Kafka did not confirm the command (broker unreachable, send timed out). It may or may not have
 * been written, so the client hears 503 and retries with the same Idempotency-Key, as for a timeout.
 */
public class CommandNotSentException extends RuntimeException {

    public CommandNotSentException(String commandId, Throwable cause) {
        super("Command " + commandId + " could not be handed to Kafka: " + cause.getMessage(), cause);
    }
}
