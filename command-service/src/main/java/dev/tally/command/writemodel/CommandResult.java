package dev.tally.command.writemodel;

import dev.tally.command.ledger.Account;
import dev.tally.command.ledger.AccountDecider;
import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.Money;
import dev.tally.command.ledger.Rejection;
import java.time.Instant;
import java.util.List;

/**
 * The write model's answer to one client command, on {@code tally.ledger.command-results} keyed by
 * the command id. It is written in the same Kafka transaction as the command's events, so an
 * accepted result is visible to a read_committed reader exactly when the events are.
 *
 * <p>A transfer gets up to two: the debit's (not {@code settled}, status PENDING) and, from a later
 * saga step, the outcome (settled, COMPLETED or REFUNDED).
 *
 * @param replayed true when this is the remembered first answer to a repeated Idempotency-Key
 */
public record CommandResult(String commandId, boolean accepted, boolean settled, boolean replayed,
                            Rejection rejection, AccountView account, String transactionId, String amount,
                            TransferView transfer, List<AppendedEvent> events, HoldView hold) {

    public CommandResult(String commandId, boolean accepted, boolean settled, boolean replayed, Rejection rejection,
                         AccountView account, String transactionId, String amount, TransferView transfer,
                         List<AppendedEvent> events) {
        this(commandId, accepted, settled, replayed, rejection, account, transactionId, amount, transfer, events, null);
    }

    public static CommandResult rejected(String commandId, Rejection rejection) {
        return new CommandResult(commandId, false, true, false, rejection, null, null, null, null, List.of());
    }

    public CommandResult withCommandId(String id) {
        return new CommandResult(id, accepted, settled, replayed, rejection, account, transactionId, amount, transfer,
                events, hold);
    }

    /** This (settling) result, also listing the events of the earlier, unsettled step. */
    public CommandResult after(CommandResult earlier) {
        List<AppendedEvent> all = new java.util.ArrayList<>(earlier.events());
        all.addAll(events);
        TransferView merged = transfer == null || earlier.transfer() == null ? transfer
                : new TransferView(transfer.transferId(), transfer.fromAccountId(), transfer.toAccountId(),
                transfer.amount(), transfer.currency(), transfer.status(), transfer.reasonCode(), transfer.reason(),
                earlier.transfer().requestedAt(), transfer.completedAt(),
                transfer.twoPhase() != null ? transfer.twoPhase() : earlier.transfer().twoPhase(),
                transfer.expiresAt() != null ? transfer.expiresAt() : earlier.transfer().expiresAt(),
                transfer.reservedAmount() != null ? transfer.reservedAmount() : earlier.transfer().reservedAmount(),
                transfer.reversalOf() != null ? transfer.reversalOf() : earlier.transfer().reversalOf());
        return new CommandResult(commandId, accepted, settled, replayed, rejection, account, transactionId, amount,
                merged, List.copyOf(all));
    }

    public CommandResult withTransfer(TransferView view) {
        return new CommandResult(commandId, accepted, settled, replayed, rejection, account, transactionId, amount, view,
                events, hold);
    }

    public CommandResult asReplay() {
        return new CommandResult(commandId, accepted, true, true, rejection, account, transactionId, amount, transfer,
                events, hold);
    }

    /** The account as the command left it, amounts already in decimal form. */
    public record AccountView(String accountId, String owner, String currency, String balance, String overdraftLimit,
                              String status, long version, Instant openedAt, Instant updatedAt, String held,
                              String available) {

        public static AccountView of(String accountId, AccountSnapshot snapshot) {
            Asset asset = new Asset(snapshot.currency(), snapshot.scale());
            Account account = AccountDecider.accountOf(AccountSnapshot.toState(snapshot));
            return new AccountView(accountId, snapshot.owner(), snapshot.currency(),
                    Money.format(snapshot.balanceMinor(), asset), Money.format(snapshot.overdraftLimitMinor(), asset),
                    snapshot.status(), snapshot.version(), snapshot.openedAt(), snapshot.updatedAt(),
                    Money.format(account.heldMinor(), asset), Money.format(account.availableMinor(), asset));
        }
    }

    /**
     * A transfer as far as this answer knows it.
     *
     * @param twoPhase       null in answers written before two-phase transfers existed (one-phase)
     * @param expiresAt      a two-phase transfer's reservation expiry
     * @param reservedAmount a two-phase transfer's reserved amount ({@code amount} is what moved, once posted)
     * @param reversalOf     the transfer this one reverses
     */
    public record TransferView(String transferId, String fromAccountId, String toAccountId, String amount,
                               String currency, String status, String reasonCode, String reason,
                               Instant requestedAt, Instant completedAt, Boolean twoPhase, Instant expiresAt,
                               String reservedAmount, String reversalOf) {

        public TransferView(String transferId, String fromAccountId, String toAccountId, String amount,
                            String currency, String status, String reasonCode, String reason, Instant requestedAt,
                            Instant completedAt) {
            this(transferId, fromAccountId, toAccountId, amount, currency, status, reasonCode, reason, requestedAt,
                    completedAt, null, null, null, null);
        }

        public TransferView(String transferId, String fromAccountId, String toAccountId, String amount,
                            String currency, String status, String reasonCode, String reason, Instant requestedAt,
                            Instant completedAt, Boolean twoPhase, Instant expiresAt, String reservedAmount) {
            this(transferId, fromAccountId, toAccountId, amount, currency, status, reasonCode, reason, requestedAt,
                    completedAt, twoPhase, expiresAt, reservedAmount, null);
        }
    }

    /** A hold as the command left it, amounts in decimal form. */
    public record HoldView(String holdId, String accountId, String amount, String currency, String status,
                           String capturedAmount, String releasedAmount, Instant expiresAt, Instant placedAt,
                           Instant closedAt, String transactionId) {
    }

    public record AppendedEvent(String eventId, String type, String accountId, long sequence) {
    }
}
