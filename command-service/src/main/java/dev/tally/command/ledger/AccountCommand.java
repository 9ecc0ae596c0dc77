package dev.tally.command.ledger;

import java.time.Instant;
import java.util.Map;

/**
 * What may be asked of one account. Client commands carry amounts as decimal text (their scale
 * depends on the account); the transfer saga's internal steps carry minor units already checked
 * by the source.
 */
public sealed interface AccountCommand {

    CommandContext context();

    record OpenAccount(CommandContext context, String owner, String currency, String overdraftLimit,
                       Map<String, String> metadata) implements AccountCommand {
        public OpenAccount {
            metadata = Map.copyOf(metadata);
        }
    }

    record DepositFunds(CommandContext context, String transactionId, String amount, String reference,
                        Map<String, String> metadata) implements AccountCommand {
        public DepositFunds {
            metadata = Map.copyOf(metadata);
        }
    }

    record WithdrawFunds(CommandContext context, String transactionId, String amount, String reference,
                         Map<String, String> metadata) implements AccountCommand {
        public WithdrawFunds {
            metadata = Map.copyOf(metadata);
        }
    }

    record FreezeAccount(CommandContext context, String reason) implements AccountCommand {
    }

    record UnfreezeAccount(CommandContext context, String reason) implements AccountCommand {
    }

    record CloseAccount(CommandContext context) implements AccountCommand {
    }

    /**
     * Forget the account's data subject (its owner): its personal values become unreadable. Allowed in
     * every status, a closed account included; {@code owner} must be the account's, so a fan-out by a
     * stale directory cannot forget someone else. Whether it was forgotten before is the write model's
     * to know (the key store), not the decider's.
     */
    record ForgetSubject(CommandContext context, String owner) implements AccountCommand {
    }

    /**
     * Transfer step 1, on the source: debit and put the money in flight.
     *
     * @param target what the write model already knows of the target account, or null when it
     *               knows nothing yet (then the target's own step decides, and may refund)
     */
    record SendTransfer(CommandContext context, String transferId, String toAccountId, String amount,
                        String reference, Map<String, String> metadata, TargetAccount target, String reversalOf)
            implements AccountCommand {
        public SendTransfer {
            metadata = Map.copyOf(metadata);
        }

        public SendTransfer(CommandContext context, String transferId, String toAccountId, String amount,
                            String reference, Map<String, String> metadata, TargetAccount target) {
            this(context, transferId, toAccountId, amount, reference, metadata, target, null);
        }

        public SendTransfer withTarget(TargetAccount known) {
            return new SendTransfer(context, transferId, toAccountId, amount, reference, metadata, known, reversalOf);
        }
    }

    /** A target account as seen from another partition: its currency, and whether it is closed. */
    /**
     * What the account directory knows of an account. {@code owner} is null in entries written before
     * it was added (it is how forgetting finds a subject's accounts).
     */
    record TargetAccount(String currency, boolean closed, String owner) {
        public TargetAccount(String currency, boolean closed) {
            this(currency, closed, null);
        }
    }

    /** Transfer step 2, on the target (internal): take the money in, or refuse. */
    record ReceiveTransfer(CommandContext context, String transferId, String fromAccountId, long amountMinor,
                           String currency, String reference, Map<String, String> metadata, String reversalOf)
            implements AccountCommand {
        public ReceiveTransfer {
            metadata = Map.copyOf(metadata);
        }
    }

    /** Transfer step 3a, on the source (internal): the target refused, give the money back. */
    record RefundTransfer(CommandContext context, String transferId, String toAccountId, long amountMinor,
                          String reasonCode, String reasonDetail) implements AccountCommand {
    }

    /** Transfer step 3b, on the source (internal): the target took it, the money is no longer in flight. */
    record CompleteTransfer(CommandContext context, String transferId, String toAccountId, long amountMinor)
            implements AccountCommand {
    }

    /**
     * Reserve money on the account until {@code expiresAt} (decided by the caller from the request
     * and the command's time, so the decider stays free of clocks).
     *
     * @param known what became of this hold id on the account before, or null when it was never used
     */
    record PlaceHold(CommandContext context, String holdId, String amount, Instant expiresAt, String reference,
                     Map<String, String> metadata, Hold.Status known) implements AccountCommand {
        public PlaceHold {
            metadata = Map.copyOf(metadata);
        }

        public PlaceHold withKnown(Hold.Status status) {
            return new PlaceHold(context, holdId, amount, expiresAt, reference, metadata, status);
        }
    }

    /**
     * Turn all of an open hold ({@code amount} null) or part of it into a withdrawal with
     * {@code transactionId}; the rest is released.
     */
    record CaptureHold(CommandContext context, String holdId, String amount, String transactionId,
                       Hold.Status known) implements AccountCommand {
        public CaptureHold withKnown(Hold.Status status) {
            return new CaptureHold(context, holdId, amount, transactionId, status);
        }
    }

    /** Give an open hold's money back to what the account can spend. */
    record ReleaseHold(CommandContext context, String holdId, String reason, Hold.Status known)
            implements AccountCommand {
        public ReleaseHold withKnown(Hold.Status status) {
            return new ReleaseHold(context, holdId, reason, status);
        }
    }

    /** Internal, from the write model's own expiry check: release a hold whose time has come. */
    record ExpireHold(CommandContext context, String holdId) implements AccountCommand {
    }

    /**
     * Two-phase transfer, phase one, on the source: reserve the amount until {@code expiresAt}
     * (decided by the caller from the request and the command's time).
     *
     * @param target what the write model knows of the target account, or null (see SendTransfer)
     */
    record ReserveTransfer(CommandContext context, String transferId, String toAccountId, String amount,
                           Instant expiresAt, String reference, Map<String, String> metadata, TargetAccount target)
            implements AccountCommand {
        public ReserveTransfer {
            metadata = Map.copyOf(metadata);
        }

        public ReserveTransfer withTarget(TargetAccount known) {
            return new ReserveTransfer(context, transferId, toAccountId, amount, expiresAt, reference, metadata, known);
        }
    }

    /** Two-phase transfer, phase two, on the source: move all ({@code amount} null) or part of the reservation. */
    record PostTransfer(CommandContext context, String transferId, String amount) implements AccountCommand {
    }

    /** Two-phase transfer: release the reservation without moving money. */
    record VoidTransfer(CommandContext context, String transferId, String reason) implements AccountCommand {
    }

    /**
     * A correcting entry: move back all ({@code amount} null) or part of an earlier deposit (with a
     * withdrawal) or withdrawal (with a deposit) of this account, as the new transaction
     * {@code transactionId}. The original is never edited.
     *
     * @param known what the write model knows of {@code originalTransactionId} on this account, or null
     */
    record ReverseMovement(CommandContext context, Movement.Kind kind, String originalTransactionId, String amount,
                           String reason, String transactionId, Movement known) implements AccountCommand {
        public ReverseMovement withKnown(Movement movement) {
            return new ReverseMovement(context, kind, originalTransactionId, amount, reason, transactionId, movement);
        }
    }
}
