package dev.tally.query.consistency;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How far the projections have got for some accounts, and who owns those accounts (as far as the
 * accounts read model knows), read in one query for every waiting request at once.
 */
public final class ProjectionProgress {

    private final Map<String, Long> versions = new HashMap<>();
    private final Map<String, String> owners = new HashMap<>();

    public static ProjectionProgress none() {
        return new ProjectionProgress();
    }

    public ProjectionProgress reached(String projection, String accountId, long version) {
        versions.put(key(projection, accountId), version);
        return this;
    }

    public ProjectionProgress ownedBy(String accountId, String owner) {
        owners.put(accountId, owner);
        return this;
    }

    long version(String projection, String accountId) {
        return versions.getOrDefault(key(projection, accountId), 0L);
    }

    /**
     * The accounts of {@code named} that a reader confined to {@code owner} may see (all of them
     * when {@code owner} is null). A missing account and another owner's are both left out, so
     * nothing that follows can tell them apart.
     */
    Set<String> visible(Set<String> named, String owner) {
        if (owner == null) {
            return named;
        }
        return Set.copyOf(named.stream().filter(account -> owner.equals(owners.get(account))).toList());
    }

    private static String key(String projection, String accountId) {
        return projection + '\u0000' + accountId;
    }
}
