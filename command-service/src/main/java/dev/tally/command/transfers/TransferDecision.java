package dev.tally.command.transfers;

import dev.tally.command.ledger.Rejection;
import java.util.List;

/** What the transfer aggregate decided, as data: the write model carries it out. */
public sealed interface TransferDecision {

    /** The id is claimed: ask the source to debit. */
    record Start(TransferState.Started next) implements TransferDecision {
    }

    /** The same request while the money is in flight: answer PENDING now and the outcome when it comes. */
    record Join(TransferState.Started next, String commandId) implements TransferDecision {
    }

    /**
     * The same request again once the source has decided (settled, or reserved): the transfer as it
     * stands, nothing moves.
     */
    record Replay(TransferTerms terms, java.time.Instant requestedAt, TransferOutcome outcome)
            implements TransferDecision {
    }

    /** The source reserved the amount: remember it and tell those who joined. */
    record Reserve(TransferState.Reserved next, List<String> answer) implements TransferDecision {
    }

    /** A post or void of a reserved transfer: ask the source. */
    record Resolve(TransferState.Resolving next) implements TransferDecision {
    }

    /** The same post or void while the source is deciding: answered when it has. */
    record JoinResolving(TransferState.Resolving next) implements TransferDecision {
    }

    /** The source refused a post or void: the transfer stays reserved; tell everyone who waits. */
    record Reopen(TransferState.Reserved next, List<String> answer, Rejection rejection) implements TransferDecision {
    }

    /** Not allowed: another request under a used id, or a caller who may not see this transfer. */
    record Refuse(Rejection rejection) implements TransferDecision {
    }

    /** The source refused: forget the claim and tell everyone who waits. */
    record Release(List<String> answer, Rejection rejection) implements TransferDecision {
    }

    /** The transfer settled (or a reservation ended): remember the outcome forever and tell those who wait. */
    record Settle(TransferState.Settled next, List<String> answer) implements TransferDecision {
    }

    /**
     * A reversal of this completed transfer: remember it as pending and ask the reversal's own
     * transfer id to move the money back (it may refuse, like any transfer).
     */
    record StartReversal(TransferState.Settled next, String reversalId, TransferTerms reversal)
            implements TransferDecision {
    }

    /** A reversal id this transfer already knows: its own transfer id answers (replays, joins or refuses). */
    record ForwardReversal(String reversalId, TransferTerms reversal) implements TransferDecision {
    }

    /** A reversal ended: what is reversed and what is pending change. */
    record RecordReversal(TransferState.Settled next) implements TransferDecision {
    }

    /** A late or repeated report: nothing to do. */
    record Ignore(String why) implements TransferDecision {
    }
}
