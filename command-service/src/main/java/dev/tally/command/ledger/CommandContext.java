package dev.tally.command.ledger;

import java.time.Instant;

/**
 * What every command carries besides its intent. Time and ids arrive here, chosen at the edge, so
 * that deciding stays a pure function.
 */
public record CommandContext(String commandId, String accountId, Instant issuedAt, String actor, String correlationId) {
}
