package dev.tally.query.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Read-only mapping of the {@code accounts} table, which the projection service owns. */
@Entity
@Immutable
@Table(name = "accounts")
public class AccountEntity {

    @Id
    @Column(name = "account_id", columnDefinition = "text")
    private String accountId;
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
    private long version;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> metadata;
    @Column(name = "opened_at")
    private Instant openedAt;
    @Column(name = "updated_at")
    private Instant updatedAt;

    public String accountId() {
        return accountId;
    }

    public String owner() {
        return owner;
    }

    public String currency() {
        return currency;
    }

    public int scale() {
        return scale;
    }

    public long balanceMinor() {
        return balanceMinor;
    }

    public long heldMinor() {
        return heldMinor;
    }

    public long overdraftLimitMinor() {
        return overdraftLimitMinor;
    }

    public String status() {
        return status;
    }

    public long version() {
        return version;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Instant openedAt() {
        return openedAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
