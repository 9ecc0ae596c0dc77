package dev.tally.projection;

import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsHeld;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import dev.tally.projection.runner.ProjectedEvent;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Events of one USD account, as the runner hands them to projections. */
public final class GivenEvents {

    private final String accountId;

    public GivenEvents(String accountId) {
        this.accountId = accountId;
    }

    public EventMeta meta(long sequence, Instant at) {
        return EventMeta.newBuilder().setEventId(accountId + "-e" + sequence).setAccountId(accountId)
                .setSequence(sequence).setOccurredAt(at).setCommandId("c-" + sequence).setCorrelationId("corr-" + sequence)
                .setCausationId("c-" + sequence).setActor("teller").setIdempotencyKey(null).setRequestHash(null).build();
    }

    public ProjectedEvent opened(Instant at) {
        return projected(AccountOpened.newBuilder().setMeta(meta(1, at)).setOwner("alice").setCurrency("USD").setScale(2)
                .setOverdraftLimitMinor(0).setMetadata(Map.of("tier", "gold")).build());
    }

    public ProjectedEvent deposited(long sequence, long amount, long balanceAfter, Instant at) {
        return projected(FundsDeposited.newBuilder().setMeta(meta(sequence, at)).setTransactionId("tx-" + sequence)
                .setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter).setReference(null)
                .setMetadata(Map.of()).build());
    }

    /** A correcting withdrawal (FundsWithdrawn v4) that takes back (part of) the deposit {@code reversalOf}. */
    public ProjectedEvent withdrawnReversing(long sequence, long amount, long balanceAfter, String reversalOf,
                                             Instant at) {
        return projected(FundsWithdrawn.newBuilder().setMeta(meta(sequence, at)).setTransactionId("tx-" + sequence)
                .setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter)
                .setBalanceBeforeMinor(balanceAfter + amount).setReference("correction").setMetadata(Map.of())
                .setReversalOf(reversalOf).build());
    }

    /** A correcting deposit (FundsDeposited v2) that puts back (part of) the withdrawal {@code reversalOf}. */
    public ProjectedEvent depositedReversing(long sequence, long amount, long balanceAfter, String reversalOf,
                                            Instant at) {
        return projected(FundsDeposited.newBuilder().setMeta(meta(sequence, at)).setTransactionId("tx-" + sequence)
                .setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter).setReference("correction")
                .setMetadata(Map.of()).setReversalOf(reversalOf).build());
    }

    public ProjectedEvent withdrawn(long sequence, long amount, long balanceAfter, Instant at) {
        return withdrawn(sequence, amount, balanceAfter, balanceAfter + amount, at);
    }

    /** With the balance before as the event says it; null is "unknown" (FundsWithdrawn v3). */
    public ProjectedEvent withdrawn(long sequence, long amount, long balanceAfter, Long balanceBefore, Instant at) {
        return projected(FundsWithdrawn.newBuilder().setMeta(meta(sequence, at)).setTransactionId("tx-" + sequence)
                .setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter)
                .setBalanceBeforeMinor(balanceBefore).setReference(null).setMetadata(Map.of()).build());
    }

    public ProjectedEvent debited(long sequence, String transferId, String to, long amount, long balanceAfter, Instant at) {
        return debited(sequence, transferId, to, amount, balanceAfter, at, null);
    }

    /** A TransferDebited (v2) that names the transfer it reverses, or null for any other transfer. */
    public ProjectedEvent debited(long sequence, String transferId, String to, long amount, long balanceAfter, Instant at,
                                  String reversalOf) {
        return projected(TransferDebited.newBuilder().setMeta(meta(sequence, at)).setTransferId(transferId)
                .setToAccountId(to).setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter)
                .setReference("rent").setMetadata(Map.of()).setReversalOf(reversalOf).build());
    }

    public ProjectedEvent credited(long sequence, String transferId, String from, long amount, long balanceAfter,
                                   Instant at) {
        return credited(sequence, transferId, from, amount, balanceAfter, at, null);
    }

    /** A TransferCredited (v2) that names the transfer it reverses, or null for any other transfer. */
    public ProjectedEvent credited(long sequence, String transferId, String from, long amount, long balanceAfter,
                                   Instant at, String reversalOf) {
        return projected(TransferCredited.newBuilder().setMeta(meta(sequence, at)).setTransferId(transferId)
                .setFromAccountId(from).setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter)
                .setReference("rent").setMetadata(Map.of()).setReversalOf(reversalOf).build());
    }

    public ProjectedEvent refunded(long sequence, String transferId, String to, long amount, long balanceAfter,
                                   Instant at) {
        return projected(TransferRefunded.newBuilder().setMeta(meta(sequence, at)).setTransferId(transferId)
                .setToAccountId(to).setAmountMinor(amount).setCurrency("USD").setBalanceAfterMinor(balanceAfter)
                .setReasonCode("account-closed").setReasonDetail("closed").build());
    }

    public ProjectedEvent held(long sequence, String holdId, long amount, long heldAfter, Instant expiresAt, Instant at) {
        return projected(FundsHeld.newBuilder().setMeta(meta(sequence, at)).setHoldId(holdId).setAmountMinor(amount)
                .setCurrency("USD").setExpiresAt(expiresAt).setHeldAfterMinor(heldAfter).setReference("hotel")
                .setMetadata(Map.of("room", "12")).build());
    }

    public ProjectedEvent captured(long sequence, String holdId, long captured, long released, long heldAfter,
                                   Instant at) {
        return projected(HoldCaptured.newBuilder().setMeta(meta(sequence, at)).setHoldId(holdId)
                .setCapturedMinor(captured).setReleasedMinor(released).setCurrency("USD").setHeldAfterMinor(heldAfter)
                .setTransactionId("tx-" + (sequence + 1)).build());
    }

    public ProjectedEvent released(long sequence, String holdId, long released, long heldAfter, Instant at) {
        return projected(HoldReleased.newBuilder().setMeta(meta(sequence, at)).setHoldId(holdId)
                .setReleasedMinor(released).setCurrency("USD").setHeldAfterMinor(heldAfter).setReason("cancelled")
                .build());
    }

    public ProjectedEvent expired(long sequence, String holdId, long released, long heldAfter, Instant expiresAt,
                                  Instant at) {
        return projected(HoldExpired.newBuilder().setMeta(meta(sequence, at)).setHoldId(holdId)
                .setReleasedMinor(released).setCurrency("USD").setHeldAfterMinor(heldAfter).setExpiresAt(expiresAt)
                .build());
    }

    public ProjectedEvent completed(long sequence, String transferId, String to, long amount, Instant at) {
        return projected(TransferCompleted.newBuilder().setMeta(meta(sequence, at)).setTransferId(transferId)
                .setToAccountId(to).setAmountMinor(amount).setCurrency("USD").build());
    }

    /** A two-phase transfer reserved on this (its source) account. */
    public ProjectedEvent reserved(long sequence, String transferId, String to, long amount, long heldAfter,
                                   Instant expiresAt, Instant at) {
        return projected(TransferReserved.newBuilder().setMeta(meta(sequence, at)).setTransferId(transferId)
                .setToAccountId(to).setAmountMinor(amount).setCurrency("USD").setExpiresAt(expiresAt)
                .setHeldAfterMinor(heldAfter).setReference("rent").setMetadata(Map.of("invoice", "i-" + transferId))
                .build());
    }

    public ProjectedEvent posted(long sequence, String transferId, String to, long posted, long released,
                                 long heldAfter, Instant at) {
        return projected(TransferPosted.newBuilder().setMeta(meta(sequence, at)).setTransferId(transferId)
                .setToAccountId(to).setPostedMinor(posted).setReleasedMinor(released).setCurrency("USD")
                .setHeldAfterMinor(heldAfter).build());
    }

    /** TransferVoided: by a client with its reason, or (expired) by the write model at the expiry. */
    public ProjectedEvent voided(long sequence, String transferId, String to, long released, long heldAfter,
                                 boolean expired, String reason, Instant at) {
        return projected(TransferVoided.newBuilder().setMeta(meta(sequence, at)).setTransferId(transferId)
                .setToAccountId(to).setReleasedMinor(released).setCurrency("USD").setHeldAfterMinor(heldAfter)
                .setExpired(expired).setReason(reason).build());
    }

    public ProjectedEvent frozen(long sequence, Instant at) {
        return projected(AccountFrozen.newBuilder().setMeta(meta(sequence, at)).setReason("audit").build());
    }

    private static ProjectedEvent projected(SpecificRecord event) {
        return new ProjectedEvent(event, (EventMeta) event.get(0), "USD", 2);
    }
}
