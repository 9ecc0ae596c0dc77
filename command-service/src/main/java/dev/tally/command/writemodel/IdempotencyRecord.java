package dev.tally.command.writemodel;

import java.time.Instant;

/**
 * What the write model remembers of an Idempotency-Key, next to the account it was used on: the
 * request it came with and the first answer, until {@code expiresAt}.
 */
public record IdempotencyRecord(String requestHash, String commandId, Instant expiresAt, CommandResult firstResult) {

    /** The store key: the account first, so that all of an account's keys live in its partition's store. */
    public static String storeKey(String accountId, String idempotencyKey) {
        return accountId + '\u0000' + idempotencyKey;
    }

    /** The account a store key belongs to. */
    static String accountOf(String storeKey) {
        int separator = storeKey.indexOf('\u0000');
        return separator < 0 ? storeKey : storeKey.substring(0, separator);
    }
}
