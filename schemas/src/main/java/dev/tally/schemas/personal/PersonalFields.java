package dev.tally.schemas.personal;

import java.util.Map;
import java.util.Set;

/**
 * Which fields of the ledger's events are personal (issue 16, DESIGN decision 12), decided once here
 * for every text-bearing field so that a new field cannot slip in undecided
 * ({@code PersonalFieldsTest} fails for a field of a current schema that is in none of the sets).
 *
 * <ul>
 *   <li>{@link #PERSONAL}: free text a person wrote or that may describe a person — references,
 *       metadata values, reasons. These are to be sealed with the subject's key and become
 *       {@link PersonalDataCipher#ERASED} once the subject is forgotten.</li>
 *   <li>{@link #SUBJECT}: the data subject's id ({@code owner}) and the acting principal
 *       ({@code actor}). Kept in clear: they are how a subject is found, forgotten and exported, and
 *       who did what stays in the audit trail. They must therefore be opaque ids, never names or
 *       e-mail addresses.</li>
 *   <li>{@link #FACTS}: money facts and ids the ledger needs to add up after forgetting: amounts,
 *       currency, account, transfer, hold and transaction ids, system reason codes and details.</li>
 * </ul>
 * Metadata keys are field names chosen by the integrator and stay in clear; only values are personal.
 */
public final class PersonalFields {

    /** Per event type, its personal fields. */
    public static final Map<String, Set<String>> PERSONAL = Map.ofEntries(
            Map.entry("AccountOpened", Set.of("metadata")),
            Map.entry("AccountFrozen", Set.of("reason")),
            Map.entry("AccountUnfrozen", Set.of("reason")),
            Map.entry("FundsDeposited", Set.of("reference", "metadata")),
            Map.entry("FundsWithdrawn", Set.of("reference", "metadata")),
            Map.entry("FundsHeld", Set.of("reference", "metadata")),
            Map.entry("HoldReleased", Set.of("reason")),
            Map.entry("TransferReserved", Set.of("reference", "metadata")),
            Map.entry("TransferDebited", Set.of("reference", "metadata")),
            Map.entry("TransferCredited", Set.of("reference", "metadata")),
            Map.entry("TransferVoided", Set.of("reason")));

    /** Fields naming the data subject or the actor: identifying, kept in clear, opaque by rule. */
    public static final Set<String> SUBJECT = Set.of("owner", "actor");

    /** Text-bearing fields that are money facts or ids, by name, in every event type and in EventMeta. */
    public static final Set<String> FACTS = Set.of("eventId", "accountId", "commandId", "correlationId", "causationId",
            "idempotencyKey", "requestHash", "currency", "transactionId", "transferId", "holdId", "toAccountId",
            "fromAccountId", "reversalOf", "reasonCode", "reasonDetail", "keyId");

    private PersonalFields() {
    }

    /** The personal fields of one event type (none for a type without free text). */
    public static Set<String> of(String eventType) {
        return PERSONAL.getOrDefault(eventType, Set.of());
    }
}
