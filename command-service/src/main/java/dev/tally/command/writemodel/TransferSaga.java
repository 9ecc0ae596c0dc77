package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountCommand.CompleteTransfer;
import dev.tally.command.ledger.AccountCommand.ReceiveTransfer;
import dev.tally.command.ledger.AccountCommand.RefundTransfer;
import dev.tally.command.ledger.Account;
import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.Money;
import dev.tally.command.transfers.TransferOutcome;
import java.util.HashMap;
import java.util.Map;
import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.CommandContext;
import dev.tally.command.ledger.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The choreography of a transfer across two accounts (two partitions). Each step is an internal
 * command written to the commands topic, keyed by the account it addresses, inside the Kafka
 * transaction of the step before: a crash between steps can neither lose the money in flight nor
 * move it twice.
 *
 * <pre>
 * SEND (source) ──TransferDebited──► RECEIVE (target) ──TransferCredited──► COMPLETE (source) ──TransferCompleted
 *                                          └── refused ──► REFUND (source) ──TransferRefunded
 * </pre>
 *
 * Every step's events name an event on {@code tally.ledger.events} as their cause: the credit and
 * the refund the debit, the completion the credit (the debit itself is caused by the client's command).
 */
final class TransferSaga {

    private TransferSaga() {
    }

    /** The step that must follow an accepted event, if the event is part of a transfer. */
    static Optional<CommandMessage> after(CommandMessage done, AccountEvent event, String eventId, Asset asset,
                                          long version, Instant now) {
        return switch (event) {
            case AccountEvent.TransferDebited debited -> Optional.of(CommandMessage.sagaStep(new ReceiveTransfer(
                    step(done, debited.toAccountId(), eventId, now), debited.transferId(), done.accountId(),
                    debited.amountMinor(), asset.code(), debited.reference(), debited.metadata(), debited.reversalOf()),
                    done.commandId()));
            case AccountEvent.TransferCredited credited -> {
                CommandMessage complete = CommandMessage.sagaStep(new CompleteTransfer(
                        step(done, credited.fromAccountId(), eventId, now), credited.transferId(), done.accountId(),
                        credited.amountMinor()), null);
                // The source reports the target's version too, so a replay's token covers both accounts.
                CommandMessage.Body b = complete.body();
                yield Optional.of(complete.withBody(new CommandMessage.Body(b.owner(), b.currency(), b.overdraftLimit(),
                        b.transactionId(), b.amount(), b.amountMinor(), credited.reference(), credited.metadata(),
                        b.reason(), b.transferId(), b.counterpartyAccountId(), b.reasonCode(), b.reasonDetail(),
                        version, null, null, null)));
            }
            default -> Optional.empty();
        };
    }

    /**
     * The report a settling event on the source sends to its transfer id (completed or refunded),
     * which then remembers the outcome forever.
     */
    static Optional<CommandMessage> settlement(CommandMessage done, AccountEvent event, Account source) {
        Asset asset = source.asset();
        return switch (event) {
            case AccountEvent.TransferCompleted completed -> {
                Map<String, Long> versions = new HashMap<>();
                versions.put(done.accountId(), source.version());
                Long targetVersion = done.body().counterpartyVersion();
                if (targetVersion != null) {
                    versions.put(completed.toAccountId(), targetVersion);
                }
                yield Optional.of(settled(done, completed.transferId(), completed.toAccountId(), new TransferOutcome(
                        "COMPLETED", completed.amountMinor(), asset.code(), asset.scale(), null, null,
                        done.issuedAt(), versions, source.owner()), Money.format(completed.amountMinor(), asset)));
            }
            case AccountEvent.TransferRefunded refunded -> Optional.of(settled(done, refunded.transferId(),
                    refunded.toAccountId(), new TransferOutcome("REFUNDED", refunded.amountMinor(), asset.code(),
                            asset.scale(), refunded.reasonCode(), refunded.reasonDetail(), done.issuedAt(),
                            Map.of(done.accountId(), source.version()), source.owner()),
                    Money.format(refunded.amountMinor(), asset)));
            case AccountEvent.TransferReserved reserved -> Optional.of(reported(CommandMessage.Type.TRANSFER_RESERVED,
                    done, reserved.transferId(), reserved.toAccountId(), new TransferOutcome("RESERVED",
                            reserved.amountMinor(), asset.code(), asset.scale(), null, null, done.issuedAt(),
                            Map.of(done.accountId(), source.version()), source.owner(), reserved.expiresAt()),
                    Money.format(reserved.amountMinor(), asset)));
            // Voided or expired: the reservation's expiry is filled in by the transfer id, which knows it.
            case AccountEvent.TransferVoided voided -> Optional.of(reported(CommandMessage.Type.TRANSFER_SETTLED,
                    done, voided.transferId(), voided.toAccountId(), new TransferOutcome(
                            voided.expired() ? "EXPIRED" : "VOIDED", voided.releasedMinor(), asset.code(),
                            asset.scale(), null, voided.reason(), done.issuedAt(),
                            Map.of(done.accountId(), source.version()), source.owner()),
                    Money.format(voided.releasedMinor(), asset)));
            default -> Optional.empty();
        };
    }

    private static CommandMessage settled(CommandMessage done, String transferId, String toAccountId,
                                          TransferOutcome outcome, String amount) {
        return reported(CommandMessage.Type.TRANSFER_SETTLED, done, transferId, toAccountId, outcome, amount);
    }

    /**
     * A report from the source to the transfer id (settled, or reserved). A reservation's report
     * carries its expiry in the body too, which marks the terms as two-phase.
     */
    private static CommandMessage reported(CommandMessage.Type type, CommandMessage done, String transferId,
                                           String toAccountId, TransferOutcome outcome, String amount) {
        CommandMessage.Body body = new CommandMessage.Body(null, null, null, null, amount, outcome.amountMinor(),
                done.body().reference(), done.body().metadata(), null, transferId, toAccountId, null, null, null,
                null, outcome, null, null, outcome.expiresAt());
        String suffix = type == CommandMessage.Type.TRANSFER_RESERVED ? ":reserved" : ":settled";
        return new CommandMessage(type, stepId(done.commandId() + suffix),
                done.accountId(), done.issuedAt(), done.actor(), done.correlationId(), done.commandId(), null, null,
                null, null, body, null);
    }

    /** The source refused to debit: the refusal goes to the transfer id, which frees it and answers. */
    static CommandMessage refused(CommandMessage send, Rejection rejection) {
        CommandMessage.Body b = send.body();
        return send.as(CommandMessage.Type.TRANSFER_REFUSED, null).withBody(new CommandMessage.Body(b.owner(),
                b.currency(), b.overdraftLimit(), b.transactionId(), b.amount(), b.amountMinor(), b.reference(),
                b.metadata(), b.reason(), b.transferId(), b.counterpartyAccountId(), rejection.code(),
                rejection.detail(), null, rejection.field(), null, null));
    }

    /**
     * A target that refuses the money sends it back. The refused command appended nothing, so the
     * refund names as its cause the debit whose money it returns (the refused command's own cause),
     * an event a subscriber can see; its id still derives from the refused command, as before.
     */
    static Optional<CommandMessage> afterRejection(CommandMessage refused, Rejection rejection, Instant now) {
        if (refused.type() != CommandMessage.Type.RECEIVE_TRANSFER) {
            return Optional.empty();
        }
        CommandMessage.Body body = refused.body();
        return Optional.of(CommandMessage.sagaStep(new RefundTransfer(
                step(refused, body.counterpartyAccountId(), stepId(refused.commandId()), refused.causationId(), now),
                body.transferId(),
                refused.accountId(), body.amountMinor(), rejection.code(), rejection.detail()), refused.replyTo()));
    }

    private static String stepId(String causationId) {
        return UUID.nameUUIDFromBytes(("step:" + causationId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Step ids derive from their cause, so a re-run of the same step can be recognised. */
    private static CommandContext step(CommandMessage cause, String accountId, String causationId, Instant now) {
        return step(cause, accountId, stepId(causationId), causationId, now);
    }

    private static CommandContext step(CommandMessage cause, String accountId, String stepId, String causationId,
                                       Instant now) {
        // A saga step acts for the transfer, not for the caller: the credit lands on an account the
        // sender need not own.
        return new CommandContext(stepId, accountId, now, cause.actor(), cause.correlationId(), causationId, null, null);
    }
}
