package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.Asset;
import dev.tally.events.AccountClosed;
import dev.tally.events.SubjectForgotten;
import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.AccountUnfrozen;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** The one place where domain events become the published Avro contract. */
public final class LedgerEventMapper {

    private LedgerEventMapper() {
    }

    /**
     * The event id is a name-based UUID of the command id and the event's index: the same command
     * always yields the same ids, so a consumer that sees an event twice can tell.
     */
    /**
     * The event's id, derived from its command so that a redelivered command yields the same ids: a
     * name-based (version 3) UUID of {@code commandId#index}, exactly {@link UUID#nameUUIDFromBytes}.
     * Written out because that method looks MD5 up anew on every call, a cost the write model paid
     * for every event; here each thread keeps its digest.
     */
    public static String eventId(String commandId, int index) {
        MessageDigest md5 = MD5.get();
        byte[] hash = md5.digest((commandId + "#" + index).getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) (hash[6] & 0x0f | 0x30); // version 3
        hash[8] = (byte) (hash[8] & 0x3f | 0x80); // IETF variant
        return new UUID(ByteBuffer.wrap(hash, 0, 8).getLong(), ByteBuffer.wrap(hash, 8, 8).getLong()).toString();
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    });

    public static SpecificRecord toAvro(AccountEvent event, CommandMessage command, int index, long sequence,
                                        Asset asset) {
        EventMeta meta = EventMeta.newBuilder()
                .setEventId(eventId(command.commandId(), index))
                .setAccountId(command.accountId())
                .setSequence(sequence)
                .setOccurredAt(command.issuedAt())
                .setCommandId(command.commandId())
                .setCorrelationId(command.correlationId())
                .setCausationId(command.causationId())
                .setActor(command.actor())
                .setIdempotencyKey(command.idempotencyKey())
                .setRequestHash(command.requestHash())
                .build();
        String currency = asset.code();
        return switch (event) {
            case AccountEvent.AccountOpened e -> AccountOpened.newBuilder().setMeta(meta).setOwner(e.owner())
                    .setCurrency(e.asset().code()).setScale(e.asset().scale())
                    .setOverdraftLimitMinor(e.overdraftLimitMinor()).setMetadata(e.metadata()).build();
            case AccountEvent.FundsDeposited e -> FundsDeposited.newBuilder().setMeta(meta)
                    .setTransactionId(e.transactionId()).setAmountMinor(e.amountMinor()).setCurrency(currency)
                    .setBalanceAfterMinor(e.balanceAfterMinor()).setReference(e.reference())
                    .setMetadata(e.metadata()).setReversalOf(e.reversalOf()).build();
            case AccountEvent.FundsWithdrawn e -> FundsWithdrawn.newBuilder().setMeta(meta)
                    .setTransactionId(e.transactionId()).setAmountMinor(e.amountMinor()).setCurrency(currency)
                    .setBalanceAfterMinor(e.balanceAfterMinor())
                    .setBalanceBeforeMinor(e.balanceAfterMinor() + e.amountMinor()).setReference(e.reference())
                    .setMetadata(e.metadata()).setReversalOf(e.reversalOf()).build();
            case AccountEvent.AccountFrozen e -> AccountFrozen.newBuilder().setMeta(meta).setReason(e.reason()).build();
            case AccountEvent.AccountUnfrozen e -> AccountUnfrozen.newBuilder().setMeta(meta).setReason(e.reason())
                    .build();
            case AccountEvent.AccountClosed e -> AccountClosed.newBuilder().setMeta(meta).build();
            // the processor names the destroyed key (the domain knows no keys)
            case AccountEvent.SubjectForgotten e -> SubjectForgotten.newBuilder().setMeta(meta).setOwner(e.owner())
                    .build();
            case AccountEvent.TransferDebited e -> TransferDebited.newBuilder().setMeta(meta)
                    .setTransferId(e.transferId()).setToAccountId(e.toAccountId()).setAmountMinor(e.amountMinor())
                    .setCurrency(currency).setBalanceAfterMinor(e.balanceAfterMinor()).setReference(e.reference())
                    .setMetadata(e.metadata()).setReversalOf(e.reversalOf()).build();
            case AccountEvent.TransferCredited e -> TransferCredited.newBuilder().setMeta(meta)
                    .setTransferId(e.transferId()).setFromAccountId(e.fromAccountId()).setAmountMinor(e.amountMinor())
                    .setCurrency(currency).setBalanceAfterMinor(e.balanceAfterMinor()).setReference(e.reference())
                    .setMetadata(e.metadata()).setReversalOf(e.reversalOf()).build();
            case AccountEvent.TransferRefunded e -> TransferRefunded.newBuilder().setMeta(meta)
                    .setTransferId(e.transferId()).setToAccountId(e.toAccountId()).setAmountMinor(e.amountMinor())
                    .setCurrency(currency).setBalanceAfterMinor(e.balanceAfterMinor()).setReasonCode(e.reasonCode())
                    .setReasonDetail(e.reasonDetail()).build();
            case AccountEvent.TransferCompleted e -> TransferCompleted.newBuilder().setMeta(meta)
                    .setTransferId(e.transferId()).setToAccountId(e.toAccountId()).setAmountMinor(e.amountMinor())
                    .setCurrency(currency).build();
            case AccountEvent.FundsHeld e -> FundsHeld.newBuilder().setMeta(meta).setHoldId(e.holdId())
                    .setAmountMinor(e.amountMinor()).setCurrency(currency).setExpiresAt(e.expiresAt())
                    .setHeldAfterMinor(e.heldAfterMinor()).setReference(e.reference()).setMetadata(e.metadata())
                    .build();
            case AccountEvent.HoldCaptured e -> HoldCaptured.newBuilder().setMeta(meta).setHoldId(e.holdId())
                    .setCapturedMinor(e.capturedMinor()).setReleasedMinor(e.releasedMinor()).setCurrency(currency)
                    .setHeldAfterMinor(e.heldAfterMinor()).setTransactionId(e.transactionId()).build();
            case AccountEvent.HoldReleased e -> HoldReleased.newBuilder().setMeta(meta).setHoldId(e.holdId())
                    .setReleasedMinor(e.releasedMinor()).setCurrency(currency).setHeldAfterMinor(e.heldAfterMinor())
                    .setReason(e.reason()).build();
            case AccountEvent.HoldExpired e -> HoldExpired.newBuilder().setMeta(meta).setHoldId(e.holdId())
                    .setReleasedMinor(e.releasedMinor()).setCurrency(currency).setHeldAfterMinor(e.heldAfterMinor())
                    .setExpiresAt(e.expiresAt()).build();
            case AccountEvent.TransferReserved e -> TransferReserved.newBuilder().setMeta(meta)
                    .setTransferId(e.transferId()).setToAccountId(e.toAccountId()).setAmountMinor(e.amountMinor())
                    .setCurrency(currency).setExpiresAt(e.expiresAt()).setHeldAfterMinor(e.heldAfterMinor())
                    .setReference(e.reference()).setMetadata(e.metadata()).build();
            case AccountEvent.TransferPosted e -> TransferPosted.newBuilder().setMeta(meta)
                    .setTransferId(e.transferId()).setToAccountId(e.toAccountId()).setPostedMinor(e.postedMinor())
                    .setReleasedMinor(e.releasedMinor()).setCurrency(currency).setHeldAfterMinor(e.heldAfterMinor())
                    .build();
            case AccountEvent.TransferVoided e -> TransferVoided.newBuilder().setMeta(meta)
                    .setTransferId(e.transferId()).setToAccountId(e.toAccountId()).setReleasedMinor(e.releasedMinor())
                    .setCurrency(currency).setHeldAfterMinor(e.heldAfterMinor()).setExpired(e.expired())
                    .setReason(e.reason()).build();
        };
    }
}
