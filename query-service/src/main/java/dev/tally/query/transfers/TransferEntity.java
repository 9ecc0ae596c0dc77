package dev.tally.query.transfers;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** Read-only mapping of {@code transfers}. */
@Entity
@Immutable
@Table(name = "transfers")
public class TransferEntity {

    @Id
    @Column(name = "transfer_id", columnDefinition = "text")
    private String transferId;
    @Column(name = "from_account_id", columnDefinition = "text")
    private String fromAccountId;
    @Column(name = "to_account_id", columnDefinition = "text")
    private String toAccountId;
    @Column(name = "amount_minor")
    private long amountMinor;
    @Column(columnDefinition = "text")
    private String currency;
    private int scale;
    @Column(columnDefinition = "text")
    private String status;
    @Column(name = "reason_code", columnDefinition = "text")
    private String reasonCode;
    @Column(columnDefinition = "text")
    private String reason;
    @Column(columnDefinition = "text")
    private String reference;
    @Column(name = "requested_at")
    private Instant requestedAt;
    @Column(name = "completed_at")
    private Instant completedAt;
    @Column(name = "correlation_id", columnDefinition = "text")
    private String correlationId;
    @Column(name = "two_phase")
    private boolean twoPhase;
    @Column(name = "reserved_amount_minor")
    private Long reservedAmountMinor;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "reversal_of", columnDefinition = "text")
    private String reversalOf;
    @Column(name = "reversed_amount_minor")
    private long reversedAmountMinor;

    public String transferId() { return transferId; }
    public String fromAccountId() { return fromAccountId; }
    public String toAccountId() { return toAccountId; }
    public long amountMinor() { return amountMinor; }
    public String currency() { return currency; }
    public int scale() { return scale; }
    public String status() { return status; }
    public String reasonCode() { return reasonCode; }
    public String reason() { return reason; }
    public String reference() { return reference; }
    public Instant requestedAt() { return requestedAt; }
    public Instant completedAt() { return completedAt; }
    public String correlationId() { return correlationId; }
    public boolean twoPhase() { return twoPhase; }
    public Long reservedAmountMinor() { return reservedAmountMinor; }
    public Instant expiresAt() { return expiresAt; }
    public String reversalOf() { return reversalOf; }
    public long reversedAmountMinor() { return reversedAmountMinor; }
}
