package dev.tally.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do, from the token's {@code groups} claim.
 *
 * <ul>
 *   <li>{@link #CUSTOMER}: commands on, and reads of, the accounts it owns (owner = token subject);
 *   <li>{@link #TELLER}: commands on any account, and reads of any account;
 *   <li>{@link #AUDITOR}: reads everything, the audit view included; no commands;
 *   <li>{@link #ADMIN}: operations (rebuilds, dead letters, reconciliation) and reads; no commands.
 * </ul>
 * A token may carry several roles; the caller may do what any of them allows.
 */
public enum Role {
    CUSTOMER, TELLER, AUDITOR, ADMIN;

    /** The name in a token's {@code groups} claim. */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromClaim(String claim) {
        for (Role role : values()) {
            if (role.claim().equals(claim)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
