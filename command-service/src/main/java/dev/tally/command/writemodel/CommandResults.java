package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.Money;
import dev.tally.command.writemodel.CommandResult.AccountView;
import dev.tally.command.writemodel.CommandResult.HoldView;
import dev.tally.command.writemodel.CommandResult.AppendedEvent;
import dev.tally.command.writemodel.CommandResult.TransferView;
import java.util.List;

/** What an accepted command answers, per kind; null when nobody waits for this step. */
final class CommandResults {

    private CommandResults() {
    }

    static CommandResult afterAccepted(CommandMessage message, List<AccountEvent> events, AccountView account,
                                       List<AppendedEvent> appended, HoldView hold) {
        CommandResult result = afterAccepted(message.commandId(), message.accountId(), message.issuedAt(), events,
                account, appended, hold);
        if (result == null || result.transfer() == null || message.type() != CommandMessage.Type.POST_TRANSFER) {
            return result;
        }
        // A post's answer names when the transfer was requested and until when it was reserved (the
        // transfer id sent both along); the saga's later answers inherit them.
        TransferView t = result.transfer();
        return result.withTransfer(new TransferView(t.transferId(), t.fromAccountId(), t.toAccountId(), t.amount(),
                t.currency(), t.status(), t.reasonCode(), t.reason(), message.body().requestedAt(), t.completedAt(),
                t.twoPhase(), message.body().expiresAt(), t.reservedAmount(), t.reversalOf()));
    }

    /** @param hold the hold a hold command left behind (null for other commands) */
    static CommandResult afterAccepted(String id, String accountId, java.time.Instant issuedAt,
                                       List<AccountEvent> events, AccountView account, List<AppendedEvent> appended,
                                       HoldView hold) {
        Asset asset = new Asset(account.currency(), scaleOf(account.balance()));
        AccountEvent event = events.get(0);
        return switch (event) {
            case AccountEvent.FundsDeposited e -> movement(id, account, e.transactionId(), e.amountMinor(), asset, appended);
            case AccountEvent.FundsWithdrawn e -> movement(id, account, e.transactionId(), e.amountMinor(), asset, appended);
            case AccountEvent.TransferDebited e -> transfer(id, false, account, appended, new TransferView(
                    e.transferId(), accountId, e.toAccountId(), Money.format(e.amountMinor(), asset),
                    asset.code(), "PENDING", null, null, issuedAt, null, null, null, null, e.reversalOf()));
            case AccountEvent.TransferCredited e -> transfer(id, true, account, appended, new TransferView(
                    e.transferId(), e.fromAccountId(), accountId, Money.format(e.amountMinor(), asset),
                    asset.code(), "COMPLETED", null, null, null, issuedAt, null, null, null, e.reversalOf()));
            case AccountEvent.TransferRefunded e -> transfer(id, true, account, appended, new TransferView(
                    e.transferId(), accountId, e.toAccountId(), Money.format(e.amountMinor(), asset),
                    asset.code(), "REFUNDED", e.reasonCode(), e.reasonDetail(), null, issuedAt));
            case AccountEvent.TransferCompleted e -> null;
            case AccountEvent.AccountOpened e -> plain(id, account, appended);
            case AccountEvent.AccountFrozen e -> plain(id, account, appended);
            case AccountEvent.AccountUnfrozen e -> plain(id, account, appended);
            case AccountEvent.AccountClosed e -> plain(id, account, appended);
            case AccountEvent.SubjectForgotten e -> plain(id, account, appended);
            case AccountEvent.FundsHeld e -> held(id, account, appended, hold, null);
            case AccountEvent.HoldCaptured e -> held(id, account, appended, hold, e.transactionId());
            case AccountEvent.HoldReleased e -> held(id, account, appended, hold, null);
            // the write model's own command: nobody waits for its answer
            case AccountEvent.HoldExpired e -> null;
            case AccountEvent.TransferReserved e -> transfer(id, true, account, appended, new TransferView(
                    e.transferId(), accountId, e.toAccountId(), Money.format(e.amountMinor(), asset), asset.code(),
                    "RESERVED", null, null, issuedAt, null, true, e.expiresAt(), Money.format(e.amountMinor(), asset)));
            // The post's money is on its way: the saga answers again when the target has taken it.
            case AccountEvent.TransferPosted e -> transfer(id, false, account, appended, new TransferView(
                    e.transferId(), accountId, e.toAccountId(), Money.format(e.postedMinor(), asset), asset.code(),
                    "POSTED", null, null, null, null, true, null,
                    Money.format(e.postedMinor() + e.releasedMinor(), asset)));
            // The transfer id answers a void (it knows the whole transfer); an expiry has nobody waiting.
            case AccountEvent.TransferVoided e -> null;
        };
    }

    /** The scale an account's formatted balance is written with (its asset's, including custom assets). */
    private static int scaleOf(String formatted) {
        int point = formatted.indexOf('.');
        return point < 0 ? 0 : formatted.length() - point - 1;
    }

    private static CommandResult plain(String id, AccountView account, List<AppendedEvent> appended) {
        return new CommandResult(id, true, true, false, null, account, null, null, null, appended);
    }

    private static CommandResult held(String id, AccountView account, List<AppendedEvent> appended, HoldView hold,
                                      String transactionId) {
        return new CommandResult(id, true, true, false, null, account, transactionId, null, null, appended, hold);
    }

    private static CommandResult movement(String id, AccountView account, String transactionId, long amountMinor,
                                          Asset asset, List<AppendedEvent> appended) {
        return new CommandResult(id, true, true, false, null, account, transactionId,
                Money.format(amountMinor, asset), null, appended);
    }

    private static CommandResult transfer(String id, boolean settled, AccountView account,
                                          List<AppendedEvent> appended, TransferView transfer) {
        return new CommandResult(id, true, settled, false, null, account, null, transfer.amount(), transfer, appended);
    }
}
