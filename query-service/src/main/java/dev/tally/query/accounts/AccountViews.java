package dev.tally.query.accounts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of API.md's query-service, built from rows. Amounts become decimal strings here. */
public final class AccountViews {

    private AccountViews() {
    }

    public record AccountView(String accountId, String owner, String currency, String balance, String overdraftLimit,
                              String status, long version, Map<String, String> metadata, Instant openedAt,
                              Instant updatedAt) {

        static AccountView of(AccountEntity row) {
            return new AccountView(row.accountId(), row.owner(), row.currency(),
                    decimal(row.balanceMinor(), row.scale()), decimal(row.overdraftLimitMinor(), row.scale()),
                    row.status(), row.version(), row.metadata(), row.openedAt(), row.updatedAt());
        }
    }

    public record EntryView(long sequence, String type, String amount, String balanceAfter, String transactionId,
                            String transferId, String counterpartyAccountId, String reference,
                            Map<String, String> metadata, String actor, Instant occurredAt) {

        static EntryView of(EntryEntity row) {
            return new EntryView(row.sequence(), row.type(), decimal(row.amountMinor(), row.scale()),
                    decimal(row.balanceAfterMinor(), row.scale()), row.transactionId(), row.transferId(),
                    row.counterpartyAccountId(), row.reference(), row.metadata(), row.actor(), row.occurredAt());
        }
    }

    /** A page of a keyset-paginated list; {@code next} is the cursor for {@code after}, null on the last page. */
    public record Page<T>(List<T> items, String next) {
    }

    static String decimal(long minorUnits, int scale) {
        return BigDecimal.valueOf(minorUnits, scale).toPlainString();
    }
}
