package dev.tally.query.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;
import org.hibernate.annotations.Immutable;

/** Read-only mapping of {@code daily_balances}. */
@Entity
@Immutable
@Table(name = "daily_balances")
@IdClass(DailyBalanceEntity.Key.class)
public class DailyBalanceEntity {

    @Id
    @Column(name = "account_id", columnDefinition = "text")
    private String accountId;
    @Id
    private LocalDate day;
    @Column(name = "opening_balance_minor")
    private long openingMinor;
    @Column(name = "closing_balance_minor")
    private long closingMinor;
    @Column(name = "total_in_minor")
    private long inMinor;
    @Column(name = "total_out_minor")
    private long outMinor;
    @Column(name = "entry_count")
    private int entryCount;

    /** Composite key (account, day). */
    public static class Key implements Serializable {
        private String accountId;
        private LocalDate day;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(day, key.day) && Objects.equals(accountId, key.accountId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, day);
        }
    }

    public LocalDate day() { return day; }
    public long openingMinor() { return openingMinor; }
    public long closingMinor() { return closingMinor; }
    public long inMinor() { return inMinor; }
    public long outMinor() { return outMinor; }
    public int entryCount() { return entryCount; }
}
