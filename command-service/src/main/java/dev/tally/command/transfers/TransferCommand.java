package dev.tally.command.transfers;

import dev.tally.command.ledger.Rejection;
import java.time.Instant;

/** What may happen to a transfer id: a client asks for it, or its saga reports back. */
public sealed interface TransferCommand {

    /**
     * A client asks to move money under this id.
     *
     * @param confinedToOwner the customer the caller is confined to, or null for staff
     */
    record RequestTransfer(String commandId, TransferTerms terms, String idempotencyKey, String confinedToOwner,
                           Instant requestedAt) implements TransferCommand {
    }

    /** The source refused to debit (funds, status, validation): nothing moved, the id is free again. */
    record RecordRefusal(Rejection rejection) implements TransferCommand {
    }

    /** The source settled the transfer. Carries the terms too, for ids claimed before this aggregate existed. */
    record RecordSettlement(TransferTerms terms, Instant requestedAt, TransferOutcome outcome)
            implements TransferCommand {
    }

    /** The source reserved a two-phase transfer's amount. Carries the terms too, like a settlement. */
    record RecordReservation(TransferTerms terms, Instant requestedAt, TransferOutcome reservation)
            implements TransferCommand {
    }

    /**
     * A client asks to post a reserved transfer: all of it ({@code amount} null) or part.
     *
     * @param confinedToOwner the customer the caller is confined to, or null for staff
     */
    record RequestPost(String commandId, String amount, String confinedToOwner) implements TransferCommand {
    }

    /** A client asks to void a reserved transfer. */
    record RequestVoid(String commandId, String reason, String confinedToOwner) implements TransferCommand {
    }

    /**
     * A client asks to move (part of) a completed transfer back from its target to its source, as a
     * new transfer {@code reversalId}.
     *
     * @param amount the amount to reverse; null: all that is not reversed yet
     */
    record RequestReversal(String commandId, String reversalId, String amount, String reason,
                           String idempotencyKey, Instant requestedAt) implements TransferCommand {
    }

    /** A reversal transfer ended: completed (it moved the money back) or not (refused, refunded). */
    record RecordReversal(String reversalId, boolean completed, long amountMinor) implements TransferCommand {
    }
}
