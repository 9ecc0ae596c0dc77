package dev.tally.command.ledger;

import java.time.Instant;

/**
 * What every command carries besides its intent. Time and ids arrive here, chosen at the edge, so
 * that deciding stays a pure function.
 *
 * @param causationId     the event that caused this command (a saga step), or the command itself
 * @param expectedVersion the version the client saw ({@code If-Match}), or null to accept any
 * @param confinedToOwner the only owner whose accounts the caller may reach (a customer's own
 *                        subject), or null for staff and for saga steps
 */
public record CommandContext(String commandId, String accountId, Instant issuedAt, String actor, String correlationId,
                             String causationId, Long expectedVersion, String confinedToOwner) {

    /** A command a client sent directly: it is its own cause. */
    public static CommandContext direct(String commandId, String accountId, Instant issuedAt, String actor,
                                        String correlationId, Long expectedVersion) {
        return direct(commandId, accountId, issuedAt, actor, correlationId, expectedVersion, null);
    }

    /** A command a client sent directly, from a caller confined to the accounts of {@code confinedToOwner}. */
    public static CommandContext direct(String commandId, String accountId, Instant issuedAt, String actor,
                                        String correlationId, Long expectedVersion, String confinedToOwner) {
        return new CommandContext(commandId, accountId, issuedAt, actor, correlationId, commandId, expectedVersion,
                confinedToOwner);
    }
}
