package dev.tally.schemas;

import java.util.List;
import java.util.Map;

/** The topics of the ledger, as API.md names them. Immutable; no service invents its own names. */
public final class Topics {

    /** The source of truth: every ledger event, keyed by account id, kept forever. */
    public static final TopicSpec LEDGER_EVENTS = new TopicSpec("tally.ledger.events", 6, Map.of(
            "retention.ms", "-1",
            "retention.bytes", "-1",
            "cleanup.policy", "delete"));

    /** Commands for the write model, keyed by account id so that one stream task owns an account. */
    public static final TopicSpec COMMANDS = new TopicSpec("tally.ledger.commands", 6, Map.of(
            "retention.ms", String.valueOf(7L * 24 * 60 * 60 * 1000)));

    /** The write model's answer to each command, keyed by command id; read by the HTTP layer. */
    public static final TopicSpec COMMAND_RESULTS = new TopicSpec("tally.ledger.command-results", 6, Map.of(
            "retention.ms", String.valueOf(6L * 60 * 60 * 1000)));

    /**
     * Internal to the write model: each account's currency and whether it is closed, compacted, read
     * by every instance as a global store so a transfer can be refused up front (other currency,
     * closed target) instead of being debited and refunded.
     */
    public static final TopicSpec ACCOUNT_DIRECTORY = new TopicSpec("tally.ledger.account-directory", 6, Map.of(
            "cleanup.policy", "compact"));

    /**
     * Each account's personal-data key, wrapped with the master key ({@code personal.PublishedKey}),
     * keyed by account id; a tombstone once its subject is forgotten. Compacted quickly and keeping
     * tombstones only a minute, so a forgotten key's older records are cleaned away soon; the query
     * service and the webhook dispatcher read it to reveal personal values.
     */
    public static final TopicSpec SUBJECT_KEYS = new TopicSpec("tally.ledger.subject-keys", 6, Map.of(
            "cleanup.policy", "compact",
            "segment.ms", String.valueOf(60L * 60 * 1000),
            "min.cleanable.dirty.ratio", "0.01",
            "delete.retention.ms", "60000"));

    public static final List<TopicSpec> ALL = List.of(LEDGER_EVENTS, COMMANDS, COMMAND_RESULTS, ACCOUNT_DIRECTORY,
            SUBJECT_KEYS);

    private Topics() {
    }
}
