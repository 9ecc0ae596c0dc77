package dev.tally.examples.subscriber;

import dev.tally.events.AccountClosed;
import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.AccountUnfrozen;
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
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * One readable line per event: when, which account and position, what happened, with amounts in
 * the account's scale. Stateful: it learns each account's scale from its {@code AccountOpened}.
 */
final class EventFormatter {

    private final AccountScales scales = new AccountScales();

    String describe(SpecificRecord event) {
        EventMeta meta = metaOf(event);
        String what = switch (event) {
            case AccountOpened opened -> {
                scales.opened(meta.getAccountId(), opened.getScale());
                yield "owner " + opened.getOwner() + ", " + opened.getCurrency() + " (scale " + opened.getScale()
                        + "), overdraft limit " + money(meta, opened.getOverdraftLimitMinor(), opened.getCurrency())
                        + extras(null, opened.getMetadata());
            }
            case FundsDeposited deposited -> "+" + money(meta, deposited.getAmountMinor(), deposited.getCurrency())
                    + ", balance " + money(meta, deposited.getBalanceAfterMinor(), deposited.getCurrency())
                    + ", transaction " + deposited.getTransactionId() + extras(deposited.getReference(), deposited.getMetadata());
            case FundsWithdrawn withdrawn -> "-" + money(meta, withdrawn.getAmountMinor(), withdrawn.getCurrency())
                    + ", balance " + money(meta, withdrawn.getBalanceAfterMinor(), withdrawn.getCurrency())
                    + ", transaction " + withdrawn.getTransactionId() + extras(withdrawn.getReference(), withdrawn.getMetadata());
            case AccountFrozen frozen -> "frozen" + reason(frozen.getReason());
            case AccountUnfrozen unfrozen -> "unfrozen" + reason(unfrozen.getReason());
            case AccountClosed closed -> "closed";
            // A reversal (v2's reversalOf) is a transfer of its own that moves an earlier one back: say which.
            case TransferDebited debited -> "-" + money(meta, debited.getAmountMinor(), debited.getCurrency())
                    + " to " + debited.getToAccountId() + " (in flight), balance "
                    + money(meta, debited.getBalanceAfterMinor(), debited.getCurrency())
                    + ", transfer " + debited.getTransferId() + reversal(debited.getReversalOf())
                    + extras(debited.getReference(), debited.getMetadata());
            case TransferCredited credited -> "+" + money(meta, credited.getAmountMinor(), credited.getCurrency())
                    + " from " + credited.getFromAccountId() + ", balance "
                    + money(meta, credited.getBalanceAfterMinor(), credited.getCurrency())
                    + ", transfer " + credited.getTransferId() + reversal(credited.getReversalOf())
                    + extras(credited.getReference(), credited.getMetadata());
            case TransferRefunded refunded -> "+" + money(meta, refunded.getAmountMinor(), refunded.getCurrency())
                    + " back, " + refunded.getToAccountId() + " refused (" + refunded.getReasonCode()
                    + (refunded.getReasonDetail() == null ? "" : ": " + refunded.getReasonDetail()) + "), balance "
                    + money(meta, refunded.getBalanceAfterMinor(), refunded.getCurrency())
                    + ", transfer " + refunded.getTransferId();
            case TransferCompleted completed -> money(meta, completed.getAmountMinor(), completed.getCurrency())
                    + " reached " + completed.getToAccountId() + ", transfer " + completed.getTransferId();
            // Holds move no money (the balance stays); they change what is held, so what is available.
            case FundsHeld held -> money(meta, held.getAmountMinor(), held.getCurrency()) + " held by hold "
                    + held.getHoldId() + " until " + held.getExpiresAt() + ", held "
                    + money(meta, held.getHeldAfterMinor(), held.getCurrency()) + extras(held.getReference(), held.getMetadata());
            // The money of a capture moves with the FundsWithdrawn (transactionId) that comes next.
            case HoldCaptured captured -> "hold " + captured.getHoldId() + " captured "
                    + money(meta, captured.getCapturedMinor(), captured.getCurrency()) + " (withdrawn as transaction "
                    + captured.getTransactionId() + "), released " + money(meta, captured.getReleasedMinor(), captured.getCurrency())
                    + ", held " + money(meta, captured.getHeldAfterMinor(), captured.getCurrency());
            case HoldReleased released -> "hold " + released.getHoldId() + " released "
                    + money(meta, released.getReleasedMinor(), released.getCurrency()) + reason(released.getReason())
                    + ", held " + money(meta, released.getHeldAfterMinor(), released.getCurrency());
            case HoldExpired expired -> "hold " + expired.getHoldId() + " expired at " + expired.getExpiresAt()
                    + ", released " + money(meta, expired.getReleasedMinor(), expired.getCurrency())
                    + ", held " + money(meta, expired.getHeldAfterMinor(), expired.getCurrency());
            // A two-phase transfer's reservation is held like a hold (hold id transfer/<transferId>): no money
            // moves until the TransferDebited right after its TransferPosted; a void moves none at all.
            case TransferReserved reserved -> money(meta, reserved.getAmountMinor(), reserved.getCurrency())
                    + " reserved for " + reserved.getToAccountId() + " until " + reserved.getExpiresAt() + ", held "
                    + money(meta, reserved.getHeldAfterMinor(), reserved.getCurrency()) + ", transfer "
                    + reserved.getTransferId() + extras(reserved.getReference(), reserved.getMetadata());
            case TransferPosted posted -> "transfer " + posted.getTransferId() + " posted "
                    + money(meta, posted.getPostedMinor(), posted.getCurrency()) + " to " + posted.getToAccountId()
                    + " (debited next), released " + money(meta, posted.getReleasedMinor(), posted.getCurrency())
                    + ", held " + money(meta, posted.getHeldAfterMinor(), posted.getCurrency());
            case TransferVoided voided -> "transfer " + voided.getTransferId() + " to " + voided.getToAccountId()
                    + (voided.getExpired() ? " expired" : " voided" + reason(voided.getReason())) + ", released "
                    + money(meta, voided.getReleasedMinor(), voided.getCurrency())
                    + ", held " + money(meta, voided.getHeldAfterMinor(), voided.getCurrency());
            // A type added to tally-schemas after this formatter was written: still worth a line.
            default -> event.toString();
        };
        return "%s %s #%d %s: %s (by %s)".formatted(meta.getOccurredAt(), meta.getAccountId(), meta.getSequence(),
                event.getSchema().getName(), what, meta.getActor());
    }

    private String money(EventMeta meta, long amountMinor, String currency) {
        return scales.format(meta.getAccountId(), amountMinor, currency);
    }

    private static EventMeta metaOf(SpecificRecord event) {
        // Every event type has its EventMeta in the field "meta"; the generated classes share no interface.
        return (EventMeta) ((GenericRecord) event).get("meta");
    }

    private static String reversal(String reversalOf) {
        return reversalOf == null ? "" : ", reversal of " + reversalOf;
    }

    private static String reason(String reason) {
        return reason == null ? "" : ": " + reason;
    }

    private static String extras(String reference, Map<String, String> metadata) {
        return (reference == null ? "" : ", reference " + reference)
                + (metadata == null || metadata.isEmpty() ? "" : ", metadata " + metadata);
    }
}
