package dev.tally.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who sent the request: the token's subject and roles. The subject becomes the {@code actor} of
 * every event the request causes.
 */
public record Caller(String subject, Set<Role> roles) {

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** With authentication off: whoever the {@code Actor} header names, allowed everything. */
    public static Caller unauthenticated(String actor) {
        return new Caller(actor == null || actor.isBlank() ? "anonymous" : actor, EnumSet.allOf(Role.class));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Role... anyOf) {
        for (Role role : anyOf) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** Answers 403 unless the caller has one of these roles. */
    public Caller require(String action, Role... anyOf) {
        if (!hasAny(anyOf)) {
            throw AccessProblem.forbidden(subject + " may not " + action + " (needs the role "
                    + String.join(" or ", java.util.Arrays.stream(anyOf).map(Role::claim).toList()) + ")");
        }
        return this;
    }

    /**
     * The owner this caller is confined to, or null when it may reach every account: a caller whose
     * only account-level role is customer sees and moves its own accounts and nothing else.
     */
    public String confinedToOwner() {
        return hasAny(Role.TELLER, Role.AUDITOR, Role.ADMIN) ? null : subject;
    }

    /** Whether an account of this owner is visible to the caller. */
    public boolean mayReach(String owner) {
        String confined = confinedToOwner();
        return confined == null || confined.equals(owner);
    }
}
