package dev.tally.command.ledger;

import java.time.Instant;
import java.util.Map;

/**
 * Facts about one account, in the past tense. Envelope data (ids, sequence, time, actor) is added
 * where events leave the domain, so these records say only what happened.
 */
public sealed interface AccountEvent {

    record AccountOpened(String owner, Asset asset, long overdraftLimitMinor, Map<String, String> metadata)
            implements AccountEvent {
        public AccountOpened {
            metadata = Map.copyOf(metadata);
        }
    }

    /** @param reversalOf the withdrawal (transaction id) this deposit reverses, or null */
    record FundsDeposited(String transactionId, long amountMinor, long balanceAfterMinor, String reference,
                          Map<String, String> metadata, String reversalOf) implements AccountEvent {
        public FundsDeposited {
            metadata = Map.copyOf(metadata);
        }

        public FundsDeposited(String transactionId, long amountMinor, long balanceAfterMinor, String reference,
                              Map<String, String> metadata) {
            this(transactionId, amountMinor, balanceAfterMinor, reference, metadata, null);
        }
    }

    /** @param reversalOf the deposit (transaction id) this withdrawal reverses, or null */
    record FundsWithdrawn(String transactionId, long amountMinor, long balanceAfterMinor, String reference,
                          Map<String, String> metadata, String reversalOf) implements AccountEvent {
        public FundsWithdrawn {
            metadata = Map.copyOf(metadata);
        }

        public FundsWithdrawn(String transactionId, long amountMinor, long balanceAfterMinor, String reference,
                              Map<String, String> metadata) {
            this(transactionId, amountMinor, balanceAfterMinor, reference, metadata, null);
        }
    }

    record AccountFrozen(String reason) implements AccountEvent {
    }

    record AccountUnfrozen(String reason) implements AccountEvent {
    }

    /** The owner was forgotten; holds no personal data, moves no money. */
    record SubjectForgotten(String owner) implements AccountEvent {
    }

    record AccountClosed() implements AccountEvent {
    }

    /** @param reversalOf the transfer this one reverses, or null */
    record TransferDebited(String transferId, String toAccountId, long amountMinor, long balanceAfterMinor,
                           String reference, Map<String, String> metadata, String reversalOf) implements AccountEvent {
        public TransferDebited {
            metadata = Map.copyOf(metadata);
        }

        public TransferDebited(String transferId, String toAccountId, long amountMinor, long balanceAfterMinor,
                               String reference, Map<String, String> metadata) {
            this(transferId, toAccountId, amountMinor, balanceAfterMinor, reference, metadata, null);
        }
    }

    /** @param reversalOf the transfer this one reverses, or null */
    record TransferCredited(String transferId, String fromAccountId, long amountMinor, long balanceAfterMinor,
                            String reference, Map<String, String> metadata, String reversalOf) implements AccountEvent {
        public TransferCredited {
            metadata = Map.copyOf(metadata);
        }

        public TransferCredited(String transferId, String fromAccountId, long amountMinor, long balanceAfterMinor,
                                String reference, Map<String, String> metadata) {
            this(transferId, fromAccountId, amountMinor, balanceAfterMinor, reference, metadata, null);
        }
    }

    record TransferRefunded(String transferId, String toAccountId, long amountMinor, long balanceAfterMinor,
                            String reasonCode, String reasonDetail) implements AccountEvent {
    }

    record TransferCompleted(String transferId, String toAccountId, long amountMinor) implements AccountEvent {
    }

    /** Money reserved: still in the balance, no longer available. */
    record FundsHeld(String holdId, long amountMinor, Instant expiresAt, long heldAfterMinor, String reference,
                     Map<String, String> metadata) implements AccountEvent {
        public FundsHeld {
            metadata = Map.copyOf(metadata);
        }
    }

    /** A hold closed by capture; the FundsWithdrawn with {@code transactionId} that follows moves the money. */
    record HoldCaptured(String holdId, long capturedMinor, long releasedMinor, long heldAfterMinor,
                        String transactionId) implements AccountEvent {
    }

    record HoldReleased(String holdId, long releasedMinor, long heldAfterMinor, String reason) implements AccountEvent {
    }

    record HoldExpired(String holdId, long releasedMinor, long heldAfterMinor, Instant expiresAt)
            implements AccountEvent {
    }

    /**
     * Two-phase transfer, phase one, on the source: the amount is reserved (a hold under
     * {@link Hold#reservationOf}) until the transfer is posted, voided or expires.
     */
    record TransferReserved(String transferId, String toAccountId, long amountMinor, Instant expiresAt,
                            long heldAfterMinor, String reference, Map<String, String> metadata)
            implements AccountEvent {
        public TransferReserved {
            metadata = Map.copyOf(metadata);
        }
    }

    /** The reservation closes; the TransferDebited of {@code postedMinor} that follows moves the money. */
    record TransferPosted(String transferId, String toAccountId, long postedMinor, long releasedMinor,
                          long heldAfterMinor) implements AccountEvent {
    }

    /** The reservation ends without moving money: voided by a client, or {@code expired} at its time. */
    record TransferVoided(String transferId, String toAccountId, long releasedMinor, long heldAfterMinor,
                          boolean expired, String reason) implements AccountEvent {
    }
}
