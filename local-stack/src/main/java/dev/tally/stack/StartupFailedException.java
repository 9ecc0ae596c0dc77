package dev.tally.stack;

/**
 * A part of the stack could not start. The message is written for a person at a terminal: it says
 * what failed and, where there is one, ends with the tail of that part's log.
 */
public class StartupFailedException extends RuntimeException {

    public StartupFailedException(String message) {
        super(message);
    }

    public StartupFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
