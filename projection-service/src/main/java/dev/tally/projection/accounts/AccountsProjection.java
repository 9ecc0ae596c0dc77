package dev.tally.projection.accounts;

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
import dev.tally.projection.runner.ProjectedEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code accounts} read model as a pure fold: given the current rows of the accounts a batch
 * touches and the batch's new events, the rows to write. The current view of every account.
 */
public final class AccountsProjection {

    public static final String NAME = "accounts";

    private AccountsProjection() {
    }

    public static Map<String, AccountRow> apply(Map<String, AccountRow> current, List<ProjectedEvent> events) {
        Map<String, AccountRow> touched = new LinkedHashMap<>();
        for (ProjectedEvent projected : events) {
            EventMeta meta = projected.meta();
            AccountRow row = touched.getOrDefault(meta.getAccountId(), current.get(meta.getAccountId()));
            touched.put(meta.getAccountId(), next(row, projected));
        }
        return touched;
    }

    /** The account after one event; {@code row} is null only before AccountOpened. */
    public static AccountRow next(AccountRow row, ProjectedEvent projected) {
        EventMeta meta = projected.meta();
        long sequence = meta.getSequence();
        var at = meta.getOccurredAt();
        return switch (projected.event()) {
            case AccountOpened opened -> new AccountRow(meta.getAccountId(), opened.getOwner(), opened.getCurrency(),
                    opened.getScale(), 0, 0, opened.getOverdraftLimitMinor(), "OPEN", sequence, opened.getMetadata(),
                    at, at);
            case FundsDeposited e -> row.moved(e.getBalanceAfterMinor(), sequence, at);
            case FundsWithdrawn e -> row.moved(e.getBalanceAfterMinor(), sequence, at);
            case TransferDebited e -> row.moved(e.getBalanceAfterMinor(), sequence, at);
            case TransferCredited e -> row.moved(e.getBalanceAfterMinor(), sequence, at);
            case TransferRefunded e -> row.moved(e.getBalanceAfterMinor(), sequence, at);
            case AccountFrozen e -> row.withStatus("FROZEN", sequence, at);
            case AccountUnfrozen e -> row.withStatus("OPEN", sequence, at);
            case AccountClosed e -> row.withStatus("CLOSED", sequence, at);
            // Holds move no money: the balance stays, the held amount is what the event says it is now.
            // A capture's money moves with the FundsWithdrawn that follows it (above).
            case FundsHeld e -> row.held(e.getHeldAfterMinor(), sequence, at);
            case HoldCaptured e -> row.held(e.getHeldAfterMinor(), sequence, at);
            case HoldReleased e -> row.held(e.getHeldAfterMinor(), sequence, at);
            case HoldExpired e -> row.held(e.getHeldAfterMinor(), sequence, at);
            // A two-phase transfer's reservation is held like a hold; the posted money moves with the
            // TransferDebited that follows TransferPosted (above).
            case TransferReserved e -> row.held(e.getHeldAfterMinor(), sequence, at);
            case TransferPosted e -> row.held(e.getHeldAfterMinor(), sequence, at);
            case TransferVoided e -> row.held(e.getHeldAfterMinor(), sequence, at);
            case TransferCompleted e -> row.moved(row.balanceMinor(), sequence, at);
            // A type newer than this code: the account's version still counts it.
            default -> row.moved(row.balanceMinor(), sequence, at);
        };
    }
}
