package dev.tally.command.ledger;

import java.util.HashMap;
import java.util.Map;

/**
 * The facts every opened account has, whatever its status.
 *
 * @param inFlightMinor outgoing transfers debited here whose target has not answered yet, by
 *                      transfer id: money that belongs to neither account's balance for now
 * @param holds         the open holds, by hold id: money still in the balance but not available
 */
public record Account(String owner, Asset asset, long overdraftLimitMinor, long balanceMinor, long version,
                      Map<String, Long> inFlightMinor, Map<String, Hold> holds) {

    public Account {
        inFlightMinor = Map.copyOf(inFlightMinor);
        holds = holds == null ? Map.of() : Map.copyOf(holds);
    }

    /** An account without open holds. */
    public Account(String owner, Asset asset, long overdraftLimitMinor, long balanceMinor, long version,
                   Map<String, Long> inFlightMinor) {
        this(owner, asset, overdraftLimitMinor, balanceMinor, version, inFlightMinor, Map.of());
    }

    Account next(long balanceAfterMinor) {
        return new Account(owner, asset, overdraftLimitMinor, balanceAfterMinor, version + 1, inFlightMinor, holds);
    }

    /** One more event that opened ({@code hold} not null) or closed a hold; the balance stays. */
    Account nextWithHold(String holdId, Hold holdOrNullToRemove) {
        Map<String, Hold> open = new HashMap<>(holds);
        if (holdOrNullToRemove == null) {
            open.remove(holdId);
        } else {
            open.put(holdId, holdOrNullToRemove);
        }
        return new Account(owner, asset, overdraftLimitMinor, balanceMinor, version + 1, inFlightMinor, open);
    }

    /** All money the open holds reserve. */
    public long heldMinor() {
        long held = 0;
        for (Hold hold : holds.values()) {
            held = Math.addExact(held, hold.amountMinor());
        }
        return held;
    }

    /** One more event that moved no money (a status change). */
    Account nextVersion() {
        return next(balanceMinor);
    }

    Account nextWithInFlight(long balanceAfterMinor, String transferId, Long amountOrNullToRemove) {
        Map<String, Long> inFlight = new HashMap<>(inFlightMinor);
        if (amountOrNullToRemove == null) {
            inFlight.remove(transferId);
        } else {
            inFlight.put(transferId, amountOrNullToRemove);
        }
        return new Account(owner, asset, overdraftLimitMinor, balanceAfterMinor, version + 1, inFlight, holds);
    }

    /**
     * What a withdrawal, outgoing transfer or new hold may take: the balance plus the overdraft,
     * less what open holds reserve, without overflowing.
     */
    public long availableMinor() {
        long sum = balanceMinor + overdraftLimitMinor;
        long spendable = ((balanceMinor ^ sum) & (overdraftLimitMinor ^ sum)) < 0 ? Long.MAX_VALUE : sum;
        return spendable - heldMinor();
    }
}
