package dev.tally.query.accounts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The JSON shapes of API.md's query-service, built from rows. Amounts become decimal strings here. */
public final class AccountViews {

    private AccountViews() {
    }

    /**
     * What the account's owner sees. (The auditor's view of the same facts is the audit trail.)
     * {@code held} is what open holds reserve; {@code available} = balance + overdraft limit − held,
     * what a withdrawal, transfer or new hold may still take.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccountView(String accountId, String owner, String currency, String balance, String held,
                              String available, String overdraftLimit, String status, long version,
                              Map<String, String> metadata, Instant openedAt, Instant updatedAt, Instant asOf) {

        static AccountView of(AccountEntity row) {
            return of(row.accountId(), row.owner(), row.currency(), row.scale(), row.balanceMinor(), row.heldMinor(),
                    row.overdraftLimitMinor(), row.status(), row.version(), row.metadata(), row.openedAt(),
                    row.updatedAt(), null);
        }

        static AccountView of(String accountId, String owner, String currency, int scale, long balanceMinor,
                              long heldMinor, long overdraftLimitMinor, String status, long version,
                              Map<String, String> metadata, Instant openedAt, Instant updatedAt, Instant asOf) {
            return new AccountView(accountId, owner, currency, decimal(balanceMinor, scale), decimal(heldMinor, scale),
                    decimal(balanceMinor + overdraftLimitMinor - heldMinor, scale),
                    decimal(overdraftLimitMinor, scale), status, version, metadata, openedAt, updatedAt, asOf);
        }
    }

    public record BalanceView(String accountId, Instant asOf, String balance, String currency, long version) {
    }

    /**
     * A statement line. {@code reversalOf} only on the two lines of a reversal (its {@code TRANSFER_OUT}
     * on the original's target, its {@code TRANSFER_IN} on the original's source): the transfer it
     * reverses; on a correcting deposit or withdrawal, the transaction it reverses. Absent on every other
     * line (the other fields keep their nulls, as before).
     */
    public record EntryView(long sequence, String type, String amount, String balanceAfter, String transactionId,
                            String transferId, String counterpartyAccountId, String reference,
                            Map<String, String> metadata, String actor, Instant occurredAt,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String reversalOf) {
    }

    public record DayView(LocalDate day, String openingBalance, String closingBalance, String totalIn,
                          String totalOut, int entryCount) {
    }

    /**
     * A page of a keyset-paginated list; {@code next} is the cursor for {@code after}, null when the
     * page came back short. (A full page that happens to end at the last row still names it; the
     * page after it is empty.)
     */
    public record Page<T>(List<T> items, String next) {
    }

    public static String decimal(long minorUnits, int scale) {
        return BigDecimal.valueOf(minorUnits, scale).toPlainString();
    }
}
