package dev.tally.query.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import org.hibernate.annotations.Immutable;

/** Read-only mapping of {@code account_history}: the account after each of its events. */
@Entity
@Immutable
@Table(name = "account_history")
@IdClass(AccountHistoryEntity.Key.class)
public class AccountHistoryEntity {

    @Id
    @Column(name = "account_id", columnDefinition = "text")
    private String accountId;
    @Id
    private long sequence;
    @Column(name = "occurred_at")
    private Instant occurredAt;
    @Column(columnDefinition = "text")
    private String owner;
    @Column(columnDefinition = "text")
    private String currency;
    private int scale;
    @Column(name = "balance_minor")
    private long balanceMinor;
    @Column(name = "held_minor")
    private long heldMinor;
    @Column(name = "overdraft_limit_minor")
    private long overdraftLimitMinor;
    @Column(columnDefinition = "text")
    private String status;
    @Column(name = "opened_at")
    private Instant openedAt;

    /** Composite key (account, sequence). */
    public static class Key implements Serializable {
        private String accountId;
        private long sequence;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && sequence == key.sequence && Objects.equals(accountId, key.accountId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, sequence);
        }
    }

    public String accountId() { return accountId; }
    public long sequence() { return sequence; }
    public Instant occurredAt() { return occurredAt; }
    public String owner() { return owner; }
    public String currency() { return currency; }
    public int scale() { return scale; }
    public long balanceMinor() { return balanceMinor; }
    public long heldMinor() { return heldMinor; }
    public long overdraftLimitMinor() { return overdraftLimitMinor; }
    public String status() { return status; }
    public Instant openedAt() { return openedAt; }
}
