package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.ledger.AccountCommand.CaptureHold;
import dev.tally.command.ledger.AccountCommand.CloseAccount;
import dev.tally.command.ledger.AccountCommand.ForgetSubject;
import dev.tally.command.ledger.AccountCommand.ExpireHold;
import dev.tally.command.ledger.AccountCommand.PlaceHold;
import dev.tally.command.ledger.AccountCommand.ReleaseHold;
import dev.tally.command.ledger.AccountCommand.CompleteTransfer;
import dev.tally.command.ledger.AccountCommand.PostTransfer;
import dev.tally.command.ledger.AccountCommand.ReserveTransfer;
import dev.tally.command.ledger.AccountCommand.ReverseMovement;
import dev.tally.command.ledger.AccountCommand.VoidTransfer;
import dev.tally.command.ledger.AccountCommand.DepositFunds;
import dev.tally.command.ledger.AccountCommand.FreezeAccount;
import dev.tally.command.ledger.AccountCommand.OpenAccount;
import dev.tally.command.ledger.AccountCommand.ReceiveTransfer;
import dev.tally.command.ledger.AccountCommand.RefundTransfer;
import dev.tally.command.ledger.AccountCommand.SendTransfer;
import dev.tally.command.ledger.AccountCommand.UnfreezeAccount;
import dev.tally.command.ledger.AccountCommand.WithdrawFunds;
import dev.tally.command.ledger.CommandContext;
import dev.tally.command.ledger.Movement;
import dev.tally.command.transfers.TransferOutcome;
import java.time.Instant;
import java.util.Map;

/**
 * A command as it travels on {@code tally.ledger.commands}: one flat JSON shape for every type, so
 * the topic stays readable with a console consumer. {@code PING} is the warm-up probe: it touches
 * no account and is only answered.
 *
 * @param replyTo        for a saga step, the client command still waiting for the transfer's outcome
 * @param idempotencyKey the client's key (or the transfer id), remembered with the account
 * @param requestHash    what the key was first used with; the same key with another hash is refused
 * @param confinedToOwner the owner a customer caller is confined to (see {@link CommandContext})
 */
public record CommandMessage(Type type, String commandId, String accountId, Instant issuedAt, String actor,
                             String correlationId, String causationId, Long expectedVersion, String replyTo,
                             String idempotencyKey, String requestHash, Body body, String confinedToOwner) {

    public enum Type {
        OPEN_ACCOUNT, DEPOSIT, WITHDRAW, FREEZE, UNFREEZE, CLOSE,
        SEND_TRANSFER, RECEIVE_TRANSFER, REFUND_TRANSFER, COMPLETE_TRANSFER, PING,
        /** A client's transfer, addressed to the transfer id: claims the id, then becomes SEND_TRANSFER. */
        REQUEST_TRANSFER,
        /** The source refused the debit: tells the transfer id, which frees it (nothing moved). */
        TRANSFER_REFUSED,
        /** The source settled the transfer (completed or refunded): tells the transfer id, for good. */
        TRANSFER_SETTLED,
        PLACE_HOLD, CAPTURE_HOLD, RELEASE_HOLD,
        /** Sent by the write model itself when an open hold is due (see HoldExpiries). */
        EXPIRE_HOLD,
        /** Two-phase transfer steps on the source: reserve the amount, then post or void it. */
        RESERVE_TRANSFER, POST_TRANSFER, VOID_TRANSFER,
        /** A client's post or void of a reserved transfer, addressed to the transfer id. */
        REQUEST_POST, REQUEST_VOID,
        /** The source reserved a two-phase transfer's amount: tells the transfer id. */
        TRANSFER_RESERVED,
        /** A client's reversal of a completed transfer, addressed to that transfer's id. */
        REQUEST_REVERSAL,
        /** A reversal transfer ended: tells the transfer it reverses (body: transferId, transactionId = reversal id). */
        REVERSAL_ENDED,
        /** A correcting entry for a deposit or withdrawal (body: transactionId the new one, reversalOf the original). */
        REVERSE_DEPOSIT, REVERSE_WITHDRAWAL,
        /** Forget the account's owner (body: owner): destroys the account's personal-data key. */
        FORGET_SUBJECT
    }

    /**
     * The union of every command's own fields; each type uses its share.
     *
     * @param counterpartyVersion on COMPLETE_TRANSFER, the target's version after the credit
     * @param reasonField         on TRANSFER_REFUSED, the field a validation refusal names
     * @param outcome             on TRANSFER_SETTLED, how the transfer ended
     * @param reversalOf          on a transfer's messages (REQUEST_TRANSFER, SEND_TRANSFER, RECEIVE_TRANSFER)
     *                            when it reverses an earlier transfer: that transfer's id
     * @param expiresAt           on PLACE_HOLD and RESERVE_TRANSFER (and a two-phase REQUEST_TRANSFER),
     *                            when the hold or reservation expires (the resource's clock plus expiresIn)
     */
    public record Body(String owner, String currency, String overdraftLimit, String transactionId, String amount,
                       Long amountMinor, String reference, Map<String, String> metadata, String reason,
                       String transferId, String counterpartyAccountId, String reasonCode, String reasonDetail,
                       Long counterpartyVersion, String reasonField, TransferOutcome outcome, Instant requestedAt,
                       String holdId, Instant expiresAt, String reversalOf) {
        public Body {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }

        public Body(String owner, String currency, String overdraftLimit, String transactionId, String amount,
                    Long amountMinor, String reference, Map<String, String> metadata, String reason,
                    String transferId, String counterpartyAccountId, String reasonCode, String reasonDetail,
                    Long counterpartyVersion, String reasonField, TransferOutcome outcome, Instant requestedAt,
                    String holdId, Instant expiresAt) {
            this(owner, currency, overdraftLimit, transactionId, amount, amountMinor, reference, metadata, reason,
                    transferId, counterpartyAccountId, reasonCode, reasonDetail, counterpartyVersion, reasonField,
                    outcome, requestedAt, holdId, expiresAt, null);
        }

        /** This body, naming the transfer a transfer step reverses. */
        Body reversing(String original) {
            return new Body(owner, currency, overdraftLimit, transactionId, amount, amountMinor, reference, metadata,
                    reason, transferId, counterpartyAccountId, reasonCode, reasonDetail, counterpartyVersion,
                    reasonField, outcome, requestedAt, holdId, expiresAt, original);
        }

        public Body(String owner, String currency, String overdraftLimit, String transactionId, String amount,
                    Long amountMinor, String reference, Map<String, String> metadata, String reason,
                    String transferId, String counterpartyAccountId, String reasonCode, String reasonDetail,
                    Long counterpartyVersion, String reasonField, TransferOutcome outcome, Instant requestedAt) {
            this(owner, currency, overdraftLimit, transactionId, amount, amountMinor, reference, metadata, reason,
                    transferId, counterpartyAccountId, reasonCode, reasonDetail, counterpartyVersion, reasonField,
                    outcome, requestedAt, null, null);
        }

        static Body hold(String holdId, String amount, Instant expiresAt, String transactionId, String reference,
                         Map<String, String> metadata, String reason) {
            return new Body(null, null, null, transactionId, amount, null, reference, metadata, reason, null, null,
                    null, null, null, null, null, null, holdId, expiresAt);
        }

        public Body(String owner, String currency, String overdraftLimit, String transactionId, String amount,
                    Long amountMinor, String reference, Map<String, String> metadata, String reason,
                    String transferId, String counterpartyAccountId, String reasonCode, String reasonDetail) {
            this(owner, currency, overdraftLimit, transactionId, amount, amountMinor, reference, metadata, reason,
                    transferId, counterpartyAccountId, reasonCode, reasonDetail, null, null, null, null);
        }

        /** A post or void: the transfer id and the amount to post or the reason to void. */
        static Body transferStep(String transferId, String amount, String reason) {
            return new Body(null, null, null, null, amount, null, null, Map.of(), reason, transferId, null, null,
                    null);
        }

        static Body empty() {
            return new Body(null, null, null, null, null, null, null, Map.of(), null, null, null, null, null);
        }
    }

    public static CommandMessage ping(String commandId, Instant at) {
        return new CommandMessage(Type.PING, commandId, null, at, "system", commandId, commandId, null, null, null,
                null, Body.empty(), null);
    }

    public static CommandMessage from(AccountCommand command, String idempotencyKey, String requestHash) {
        return from(command, null, idempotencyKey, requestHash);
    }

    /** A saga step that answers the client command {@code replyTo} when it settles the transfer. */
    public static CommandMessage sagaStep(AccountCommand command, String replyTo) {
        return from(command, replyTo, null, null);
    }

    private static CommandMessage from(AccountCommand command, String replyTo, String idempotencyKey,
                                       String requestHash) {
        CommandContext c = command.context();
        Body body = switch (command) {
            case OpenAccount open -> new Body(open.owner(), open.currency(), open.overdraftLimit(), null, null, null,
                    null, open.metadata(), null, null, null, null, null);
            case DepositFunds deposit -> new Body(null, null, null, deposit.transactionId(), deposit.amount(), null,
                    deposit.reference(), deposit.metadata(), null, null, null, null, null);
            case WithdrawFunds withdrawal -> new Body(null, null, null, withdrawal.transactionId(),
                    withdrawal.amount(), null, withdrawal.reference(), withdrawal.metadata(), null, null, null, null,
                    null);
            case FreezeAccount freeze -> new Body(null, null, null, null, null, null, null, Map.of(), freeze.reason(),
                    null, null, null, null);
            case UnfreezeAccount unfreeze -> new Body(null, null, null, null, null, null, null, Map.of(),
                    unfreeze.reason(), null, null, null, null);
            case CloseAccount close -> Body.empty();
            case ForgetSubject forget -> new Body(forget.owner(), null, null, null, null, null, null, Map.of(), null,
                    null, null, null, null);
            case SendTransfer send -> new Body(null, null, null, null, send.amount(), null, send.reference(),
                    send.metadata(), null, send.transferId(), send.toAccountId(), null, null)
                    .reversing(send.reversalOf());
            case ReceiveTransfer receive -> new Body(null, receive.currency(), null, null, null, receive.amountMinor(),
                    receive.reference(), receive.metadata(), null, receive.transferId(), receive.fromAccountId(), null,
                    null)
                    .reversing(receive.reversalOf());
            case RefundTransfer refund -> new Body(null, null, null, null, null, refund.amountMinor(), null, Map.of(),
                    null, refund.transferId(), refund.toAccountId(), refund.reasonCode(), refund.reasonDetail());
            case CompleteTransfer complete -> new Body(null, null, null, null, null, complete.amountMinor(), null,
                    Map.of(), null, complete.transferId(), complete.toAccountId(), null, null);
            case PlaceHold place -> Body.hold(place.holdId(), place.amount(), place.expiresAt(), null,
                    place.reference(), place.metadata(), null);
            case CaptureHold capture -> Body.hold(capture.holdId(), capture.amount(), null, capture.transactionId(),
                    null, Map.of(), null);
            case ReleaseHold release -> Body.hold(release.holdId(), null, null, null, null, Map.of(), release.reason());
            case ExpireHold expire -> Body.hold(expire.holdId(), null, null, null, null, Map.of(), null);
            case ReserveTransfer reserve -> new Body(null, null, null, null, reserve.amount(), null,
                    reserve.reference(), reserve.metadata(), null, reserve.transferId(), reserve.toAccountId(), null,
                    null, null, null, null, null, null, reserve.expiresAt());
            case PostTransfer post -> Body.transferStep(post.transferId(), post.amount(), null);
            case VoidTransfer voided -> Body.transferStep(voided.transferId(), null, voided.reason());
            case ReverseMovement reverse -> new Body(null, null, null, reverse.transactionId(), reverse.amount(), null,
                    null, Map.of(), reverse.reason(), null, null, null, null).reversing(reverse.originalTransactionId());
        };
        return new CommandMessage(typeOf(command), c.commandId(), c.accountId(), c.issuedAt(), c.actor(),
                c.correlationId(), c.causationId(), c.expectedVersion(), replyTo, idempotencyKey, requestHash, body,
                c.confinedToOwner());
    }

    private static Type typeOf(AccountCommand command) {
        return switch (command) {
            case OpenAccount x -> Type.OPEN_ACCOUNT;
            case DepositFunds x -> Type.DEPOSIT;
            case WithdrawFunds x -> Type.WITHDRAW;
            case FreezeAccount x -> Type.FREEZE;
            case UnfreezeAccount x -> Type.UNFREEZE;
            case CloseAccount x -> Type.CLOSE;
            case ForgetSubject x -> Type.FORGET_SUBJECT;
            case SendTransfer x -> Type.SEND_TRANSFER;
            case ReceiveTransfer x -> Type.RECEIVE_TRANSFER;
            case RefundTransfer x -> Type.REFUND_TRANSFER;
            case CompleteTransfer x -> Type.COMPLETE_TRANSFER;
            case PlaceHold x -> Type.PLACE_HOLD;
            case CaptureHold x -> Type.CAPTURE_HOLD;
            case ReleaseHold x -> Type.RELEASE_HOLD;
            case ExpireHold x -> Type.EXPIRE_HOLD;
            case ReserveTransfer x -> Type.RESERVE_TRANSFER;
            case PostTransfer x -> Type.POST_TRANSFER;
            case VoidTransfer x -> Type.VOID_TRANSFER;
            case ReverseMovement x -> x.kind() == Movement.Kind.DEPOSIT ? Type.REVERSE_DEPOSIT : Type.REVERSE_WITHDRAWAL;
        };
    }

    /**
     * The record key, which picks the partition and so the single writer: the transfer id for
     * messages addressed to a transfer, the account id for everything else.
     */
    public String key() {
        return switch (type) {
            case REQUEST_TRANSFER, TRANSFER_REFUSED, TRANSFER_SETTLED, REQUEST_POST, REQUEST_VOID, TRANSFER_RESERVED,
                 REQUEST_REVERSAL, REVERSAL_ENDED -> body.transferId();
            default -> accountId;
        };
    }

    /**
     * A client's transfer request, addressed to its transfer id (see {@link Type#REQUEST_TRANSFER}):
     * a {@link SendTransfer}, or a {@link ReserveTransfer} for a two-phase one (its body carries the
     * reservation's {@code expiresAt}, which is how the transfer id tells the two apart).
     */
    public static CommandMessage requestTransfer(AccountCommand sendOrReserve, String idempotencyKey,
                                                 String requestHash) {
        if (!(sendOrReserve instanceof SendTransfer) && !(sendOrReserve instanceof ReserveTransfer)) {
            throw new IllegalArgumentException("not a transfer: " + sendOrReserve);
        }
        return from(sendOrReserve, idempotencyKey, requestHash).as(Type.REQUEST_TRANSFER, null);
    }

    /**
     * A client's post ({@code post} true, {@code argument} the amount or null for all) or void
     * ({@code argument} the reason) of a reserved transfer, addressed to the transfer id.
     */
    public static CommandMessage requestResolution(boolean post, String transferId, String argument,
                                                   CommandContext context) {
        Body body = post ? Body.transferStep(transferId, argument, null) : Body.transferStep(transferId, null, argument);
        return new CommandMessage(post ? Type.REQUEST_POST : Type.REQUEST_VOID, context.commandId(), null,
                context.issuedAt(), context.actor(), context.correlationId(), context.causationId(), null, null, null,
                null, body, context.confinedToOwner());
    }

    /**
     * A client's reversal of transfer {@code transferId} as the new transfer {@code reversalId}
     * ({@code amount} null: all that is not reversed yet), addressed to the original transfer's id.
     */
    public static CommandMessage requestReversal(String transferId, String reversalId, String amount, String reason,
                                                 CommandContext context, String idempotencyKey) {
        Body body = new Body(null, null, null, reversalId, amount, null, null, Map.of(), reason, transferId, null, null,
                null);
        return new CommandMessage(Type.REQUEST_REVERSAL, context.commandId(), null, context.issuedAt(), context.actor(),
                context.correlationId(), context.causationId(), null, null, idempotencyKey, null, body,
                context.confinedToOwner());
    }

    /** This message with another type and reply address, everything else kept. */
    CommandMessage as(Type newType, String newReplyTo) {
        return new CommandMessage(newType, commandId, accountId, issuedAt, actor, correlationId, causationId,
                expectedVersion, newReplyTo, idempotencyKey, requestHash, body, confinedToOwner);
    }

    /** This message with another body. */
    CommandMessage withBody(Body newBody) {
        return new CommandMessage(type, commandId, accountId, issuedAt, actor, correlationId, causationId,
                expectedVersion, replyTo, idempotencyKey, requestHash, newBody, confinedToOwner);
    }

    public CommandContext context() {
        return new CommandContext(commandId, accountId, issuedAt, actor, correlationId, causationId, expectedVersion,
                confinedToOwner);
    }

    /** The domain command; not defined for {@link Type#PING}. */
    public AccountCommand toCommand() {
        CommandContext c = context();
        Body b = body;
        return switch (type) {
            case OPEN_ACCOUNT -> new OpenAccount(c, b.owner(), b.currency(), b.overdraftLimit(), b.metadata());
            case DEPOSIT -> new DepositFunds(c, b.transactionId(), b.amount(), b.reference(), b.metadata());
            case WITHDRAW -> new WithdrawFunds(c, b.transactionId(), b.amount(), b.reference(), b.metadata());
            case FREEZE -> new FreezeAccount(c, b.reason());
            case UNFREEZE -> new UnfreezeAccount(c, b.reason());
            case CLOSE -> new CloseAccount(c);
            case FORGET_SUBJECT -> new ForgetSubject(c, b.owner());
            case SEND_TRANSFER -> new SendTransfer(c, b.transferId(), b.counterpartyAccountId(), b.amount(),
                    b.reference(), b.metadata(), null, b.reversalOf());
            case RECEIVE_TRANSFER -> new ReceiveTransfer(c, b.transferId(), b.counterpartyAccountId(), b.amountMinor(),
                    b.currency(), b.reference(), b.metadata(), b.reversalOf());
            case REFUND_TRANSFER -> new RefundTransfer(c, b.transferId(), b.counterpartyAccountId(), b.amountMinor(),
                    b.reasonCode(), b.reasonDetail());
            case COMPLETE_TRANSFER -> new CompleteTransfer(c, b.transferId(), b.counterpartyAccountId(),
                    b.amountMinor());
            // What became of a hold id before is looked up by the processor (CommandProcessor.withHoldHistory).
            case PLACE_HOLD -> new PlaceHold(c, b.holdId(), b.amount(), b.expiresAt(), b.reference(), b.metadata(),
                    null);
            case CAPTURE_HOLD -> new CaptureHold(c, b.holdId(), b.amount(), b.transactionId(), null);
            case RELEASE_HOLD -> new ReleaseHold(c, b.holdId(), b.reason(), null);
            case EXPIRE_HOLD -> new ExpireHold(c, b.holdId());
            case RESERVE_TRANSFER -> new ReserveTransfer(c, b.transferId(), b.counterpartyAccountId(), b.amount(),
                    b.expiresAt(), b.reference(), b.metadata(), null);
            case POST_TRANSFER -> new PostTransfer(c, b.transferId(), b.amount());
            case VOID_TRANSFER -> new VoidTransfer(c, b.transferId(), b.reason());
            // What the original moved is looked up by the processor (CommandProcessor.withMovement).
            case REVERSE_DEPOSIT, REVERSE_WITHDRAWAL -> new ReverseMovement(c, type == Type.REVERSE_DEPOSIT
                    ? Movement.Kind.DEPOSIT : Movement.Kind.WITHDRAWAL, b.reversalOf(), b.amount(), b.reason(),
                    b.transactionId(), null);
            case PING, REQUEST_TRANSFER, TRANSFER_REFUSED, TRANSFER_SETTLED, REQUEST_POST, REQUEST_VOID,
                 TRANSFER_RESERVED, REQUEST_REVERSAL, REVERSAL_ENDED ->
                    throw new IllegalStateException(type + " is not an account command");
        };
    }
}
