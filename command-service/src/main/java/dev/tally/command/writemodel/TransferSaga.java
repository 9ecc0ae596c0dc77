package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountCommand.CompleteTransfer;
import dev.tally.command.ledger.AccountCommand.ReceiveTransfer;
import dev.tally.command.ledger.AccountCommand.RefundTransfer;
import dev.tally.command.ledger.AccountEvent;
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
 */
final class TransferSaga {

    private TransferSaga() {
    }

    /** The step that must follow an accepted event, if the event is part of a transfer. */
    static Optional<CommandMessage> after(CommandMessage done, AccountEvent event, String eventId, Asset asset,
                                          Instant now) {
        return switch (event) {
            case AccountEvent.TransferDebited debited -> Optional.of(CommandMessage.sagaStep(new ReceiveTransfer(
                    step(done, debited.toAccountId(), eventId, now), debited.transferId(), done.accountId(),
                    debited.amountMinor(), asset.code(), debited.reference(), debited.metadata()), done.commandId()));
            case AccountEvent.TransferCredited credited -> Optional.of(CommandMessage.sagaStep(new CompleteTransfer(
                    step(done, credited.fromAccountId(), eventId, now), credited.transferId(), done.accountId(),
                    credited.amountMinor()), null));
            default -> Optional.empty();
        };
    }

    /** A target that refuses the money sends it back: the refund step, caused by the refused command. */
    static Optional<CommandMessage> afterRejection(CommandMessage refused, Rejection rejection, Instant now) {
        if (refused.type() != CommandMessage.Type.RECEIVE_TRANSFER) {
            return Optional.empty();
        }
        CommandMessage.Body body = refused.body();
        return Optional.of(CommandMessage.sagaStep(new RefundTransfer(
                step(refused, body.counterpartyAccountId(), refused.commandId(), now), body.transferId(),
                refused.accountId(), body.amountMinor(), rejection.code(), rejection.detail()), refused.replyTo()));
    }

    /** Step ids derive from their cause, so a re-run of the same step can be recognised. */
    private static CommandContext step(CommandMessage cause, String accountId, String causationId, Instant now) {
        String stepId = UUID.nameUUIDFromBytes(("step:" + causationId).getBytes(StandardCharsets.UTF_8)).toString();
        // A saga step acts for the transfer, not for the caller: the credit lands on an account the
        // sender need not own.
        return new CommandContext(stepId, accountId, now, cause.actor(), cause.correlationId(), causationId, null, null);
    }
}
