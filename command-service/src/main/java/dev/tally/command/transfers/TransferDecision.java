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

    /** The same request after the transfer settled: its outcome again, nothing moves. */
    record Replay(TransferState.Settled settled) implements TransferDecision {
    }

    /** Not allowed: another request under a used id, or a caller who may not see this transfer. */
    record Refuse(Rejection rejection) implements TransferDecision {
    }

    /** The source refused: forget the claim and tell everyone who waits. */
    record Release(List<String> answer, Rejection rejection) implements TransferDecision {
    }

    /** The transfer settled: remember the outcome forever and tell those who joined. */
    record Settle(TransferState.Settled next, List<String> answer) implements TransferDecision {
    }

    /** A late or repeated report: nothing to do. */
    record Ignore(String why) implements TransferDecision {
    }
}
