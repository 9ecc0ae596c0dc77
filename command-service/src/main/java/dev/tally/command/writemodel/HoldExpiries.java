package dev.tally.command.writemodel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The open holds of this task's accounts in the order they fall due, so that the expiry check reads
 * only what is due instead of every account. A persistent store with a changelog, written in the
 * same transaction as the events that open and close holds: after a crash it says exactly what
 * the accounts say. Keys sort by time: 19-digit epoch milliseconds, then account and hold id.
 */
final class HoldExpiries {

    private final KeyValueStore<String, String> store;

    HoldExpiries(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /**
     * The key sorts at the first millisecond at or after the expiry (rounded up), so that a check
     * that takes it is never earlier than the expiry itself (the decider would refuse it as not due,
     * and the hold would have left the index without expiring).
     */
    static String key(Instant expiresAt, String accountId, String holdId) {
        long millis = expiresAt.toEpochMilli() + (expiresAt.getNano() % 1_000_000 == 0 ? 0 : 1);
        return "%019d".formatted(millis) + '\u0000' + HoldRecord.storeKey(accountId, holdId);
    }

    void opened(Instant expiresAt, String accountId, String holdId) {
        store.put(key(expiresAt, accountId, holdId), HoldRecord.storeKey(accountId, holdId));
    }

    void closed(Instant expiresAt, String accountId, String holdId) {
        store.delete(key(expiresAt, accountId, holdId));
    }

    /**
     * Removes and returns the hold store keys (account, hold id) due at {@code now}, oldest first, at
     * most {@code limit} (the rest come at the next check).
     */
    List<String> takeDue(Instant now, int limit) {
        List<String> due = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        // The upper bound is the first key of the next millisecond, so every key of "now" is in.
        String upTo = "%019d".formatted(now.toEpochMilli() + 1);
        try (var range = store.range("", upTo)) {
            while (range.hasNext() && due.size() < limit) {
                var entry = range.next();
                if (entry.key.compareTo(upTo) >= 0) {
                    break;
                }
                keys.add(entry.key);
                due.add(entry.value);
            }
        }
        keys.forEach(store::delete);
        return due;
    }
}
