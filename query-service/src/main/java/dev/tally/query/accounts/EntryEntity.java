package dev.tally.query.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Read-only mapping of the {@code entries} table (statement lines). */
@Entity
@Immutable
@Table(name = "entries")
@IdClass(EntryEntity.Key.class)
public class EntryEntity {

    @Id
    @Column(name = "account_id", columnDefinition = "text")
    private String accountId;
    @Id
    private long sequence;
    @Column(columnDefinition = "text")
    private String type;
    @Column(name = "amount_minor")
    private long amountMinor;
    @Column(name = "balance_after_minor")
    private long balanceAfterMinor;
    @Column(columnDefinition = "text")
    private String currency;
    private int scale;
    @Column(name = "transaction_id", columnDefinition = "text")
    private String transactionId;
    @Column(name = "transfer_id", columnDefinition = "text")
    private String transferId;
    @Column(name = "counterparty_account_id", columnDefinition = "text")
    private String counterpartyAccountId;
    @Column(columnDefinition = "text")
    private String reference;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> metadata;
    @Column(columnDefinition = "text")
    private String actor;
    @Column(name = "event_id", columnDefinition = "text")
    private String eventId;
    @Column(name = "occurred_at")
    private Instant occurredAt;
    @Column(name = "reversal_of", columnDefinition = "text")
    private String reversalOf;

    /** Composite key (account, sequence); Hibernate needs a no-argument class with equals and hashCode. */
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

    public String accountId() {
        return accountId;
    }

    public long sequence() {
        return sequence;
    }

    public String type() {
        return type;
    }

    public long amountMinor() {
        return amountMinor;
    }

    public long balanceAfterMinor() {
        return balanceAfterMinor;
    }

    public int scale() {
        return scale;
    }

    public String transactionId() {
        return transactionId;
    }

    public String transferId() {
        return transferId;
    }

    public String counterpartyAccountId() {
        return counterpartyAccountId;
    }

    public String reference() {
        return reference;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public String actor() {
        return actor;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String reversalOf() {
        return reversalOf;
    }
}
