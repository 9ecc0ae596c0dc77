package dev.tally.projection.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription: where to send which event types of which accounts. The scope is one
 * account, every account of one owner, or (admins only) every account.
 */
public record Subscription(String id, String url, List<String> eventTypes, String accountId, String owner,
                           String visibleTo, String secret, String previousSecret, Instant previousSecretUntil,
                           String status, String statusReason, Instant failingSince, String createdBy,
                           Instant createdAt) {

    public static final String ACTIVE = "ACTIVE";
    public static final String DISABLED = "DISABLED";
    public static final String UNSUBSCRIBED = "UNSUBSCRIBED";
    public static final String DELETED = "DELETED";

    /** Whether this subscription wants this event: its type, its account or owner, and not from before it existed. */
    public boolean wants(String eventType, String eventAccountId, String eventOwner, Instant occurredAt) {
        return eventTypes.contains(eventType)
                && (accountId == null || accountId.equals(eventAccountId))
                && (owner == null || owner.equals(eventOwner))
                && !occurredAt.isBefore(createdAt);
    }

    public boolean needsOwner() {
        return accountId == null && owner != null;
    }

    /** The secrets that sign a delivery now: the current one, and the one before a rotation while it overlaps. */
    public List<String> signingSecrets(Instant now) {
        return previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)
                ? List.of(secret, previousSecret) : List.of(secret);
    }
}
