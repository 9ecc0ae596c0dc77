package dev.tally.command.ledger;

import java.util.HashMap;
import java.util.Map;

/**
 * The facts every opened account has, whatever its status.
 *
 * @param inFlightMinor outgoing transfers debited here whose target has not answered yet, by
 *                      transfer id: money that belongs to neither account's balance for now
 */
public record Account(String owner, Asset asset, long overdraftLimitMinor, long balanceMinor, long version,
                      Map<String, Long> inFlightMinor) {

    public Account {
        inFlightMinor = Map.copyOf(inFlightMinor);
    }

    Account next(long balanceAfterMinor) {
        return new Account(owner, asset, overdraftLimitMinor, balanceAfterMinor, version + 1, inFlightMinor);
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
        return new Account(owner, asset, overdraftLimitMinor, balanceAfterMinor, version + 1, inFlight);
    }

    /** What a withdrawal or outgoing transfer may take: the balance plus the overdraft, without overflowing. */
    long availableMinor() {
        long sum = balanceMinor + overdraftLimitMinor;
        return ((balanceMinor ^ sum) & (overdraftLimitMinor ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
