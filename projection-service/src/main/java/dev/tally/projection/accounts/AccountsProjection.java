package dev.tally.projection.accounts;

import dev.tally.events.AccountClosed;
import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.AccountUnfrozen;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferRefunded;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The {@code accounts} projection as a pure fold: given the current rows of the accounts a batch
 * touches and the batch's events in log order, the rows to write. Events the rows already contain
 * (sequence not above the row's version) are skipped, so applying a batch twice changes nothing.
 */
public final class AccountsProjection {

    public static final String NAME = "accounts";

    private AccountsProjection() {
    }

    /** What a batch changes: the final state of every touched account, and the new statement lines. */
    public record Changes(Map<String, AccountRow> accounts, List<EntryRow> entries) {
    }

    public static Changes apply(Map<String, AccountRow> current, List<SpecificRecord> events) {
        Map<String, AccountRow> touched = new LinkedHashMap<>();
        List<EntryRow> entries = new ArrayList<>();
        for (SpecificRecord event : events) {
            EventMeta meta = (EventMeta) event.get(0);
            AccountRow row = touched.containsKey(meta.getAccountId()) ? touched.get(meta.getAccountId())
                    : current.get(meta.getAccountId());
            long applied = row == null ? 0 : row.version();
            if (meta.getSequence() <= applied) {
                continue;
            }
            if (meta.getSequence() != applied + 1) {
                throw new IllegalStateException("Account %s: event %d follows %d; the log has a gap"
                        .formatted(meta.getAccountId(), meta.getSequence(), applied));
            }
            if (row == null && !(event instanceof AccountOpened)) {
                throw new IllegalStateException("Account %s: %s before AccountOpened"
                        .formatted(meta.getAccountId(), event.getSchema().getName()));
            }
            AccountRow next = switch (event) {
                case AccountOpened opened -> new AccountRow(meta.getAccountId(), opened.getOwner(),
                        opened.getCurrency(), opened.getScale(), 0, opened.getOverdraftLimitMinor(), "OPEN",
                        meta.getSequence(), opened.getMetadata(), meta.getOccurredAt(), meta.getOccurredAt());
                case FundsDeposited deposited -> {
                    entries.add(entry(meta, row, "DEPOSIT", deposited.getAmountMinor(),
                            deposited.getBalanceAfterMinor(), deposited.getTransactionId(),
                            deposited.getReference(), deposited.getMetadata()));
                    yield row.moved(deposited.getBalanceAfterMinor(), meta.getSequence(), meta.getOccurredAt());
                }
                case FundsWithdrawn withdrawn -> {
                    entries.add(entry(meta, row, "WITHDRAWAL", -withdrawn.getAmountMinor(),
                            withdrawn.getBalanceAfterMinor(), withdrawn.getTransactionId(),
                            withdrawn.getReference(), withdrawn.getMetadata()));
                    yield row.moved(withdrawn.getBalanceAfterMinor(), meta.getSequence(), meta.getOccurredAt());
                }
                case AccountFrozen frozen -> row.withStatus("FROZEN", meta.getSequence(), meta.getOccurredAt());
                case AccountUnfrozen unfrozen -> row.withStatus("OPEN", meta.getSequence(), meta.getOccurredAt());
                case AccountClosed closed -> row.withStatus("CLOSED", meta.getSequence(), meta.getOccurredAt());
                case TransferDebited debited -> {
                    entries.add(transferEntry(meta, row, "TRANSFER_OUT", -debited.getAmountMinor(),
                            debited.getBalanceAfterMinor(), debited.getTransferId(), debited.getToAccountId(),
                            debited.getReference(), debited.getMetadata()));
                    yield row.moved(debited.getBalanceAfterMinor(), meta.getSequence(), meta.getOccurredAt());
                }
                case TransferCredited credited -> {
                    entries.add(transferEntry(meta, row, "TRANSFER_IN", credited.getAmountMinor(),
                            credited.getBalanceAfterMinor(), credited.getTransferId(), credited.getFromAccountId(),
                            credited.getReference(), credited.getMetadata()));
                    yield row.moved(credited.getBalanceAfterMinor(), meta.getSequence(), meta.getOccurredAt());
                }
                case TransferRefunded refunded -> {
                    entries.add(transferEntry(meta, row, "TRANSFER_REFUND", refunded.getAmountMinor(),
                            refunded.getBalanceAfterMinor(), refunded.getTransferId(), refunded.getToAccountId(),
                            null, Map.of("refundReason", refunded.getReasonCode())));
                    yield row.moved(refunded.getBalanceAfterMinor(), meta.getSequence(), meta.getOccurredAt());
                }
                case TransferCompleted completed -> row.moved(row.balanceMinor(), meta.getSequence(), meta.getOccurredAt());
                default -> throw new IllegalArgumentException(
                        "The accounts projection does not know " + event.getSchema().getFullName());
            };
            touched.put(meta.getAccountId(), next);
        }
        return new Changes(touched, entries);
    }

    /** The transfer id doubles as the transaction id: one transfer, one transaction on each side. */
    private static EntryRow transferEntry(EventMeta meta, AccountRow account, String type, long signedAmount,
                                          long balanceAfter, String transferId, String counterparty, String reference,
                                          Map<String, String> metadata) {
        return new EntryRow(meta.getAccountId(), meta.getSequence(), type, signedAmount, balanceAfter,
                account.currency(), account.scale(), transferId, transferId, counterparty, reference, metadata,
                meta.getActor(), meta.getEventId(), meta.getOccurredAt());
    }

    private static EntryRow entry(EventMeta meta, AccountRow account, String type, long signedAmount,
                                  long balanceAfter, String transactionId, String reference,
                                  Map<String, String> metadata) {
        return new EntryRow(meta.getAccountId(), meta.getSequence(), type, signedAmount, balanceAfter,
                account.currency(), account.scale(), transactionId, null, null, reference, metadata,
                meta.getActor(), meta.getEventId(), meta.getOccurredAt());
    }
}
