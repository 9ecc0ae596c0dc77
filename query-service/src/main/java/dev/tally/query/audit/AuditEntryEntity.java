package dev.tally.query.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Read-only mapping of {@code audit_log}. */
@Entity
@Immutable
@Table(name = "audit_log")
public class AuditEntryEntity {

    @Id
    @Column(name = "event_id", columnDefinition = "text")
    private String eventId;
    @Column(name = "account_id", columnDefinition = "text")
    private String accountId;
    private long sequence;
    @Column(name = "event_type", columnDefinition = "text")
    private String eventType;
    @Column(columnDefinition = "text")
    private String actor;
    @Column(name = "occurred_at")
    private Instant occurredAt;
    @Column(name = "command_id", columnDefinition = "text")
    private String commandId;
    @Column(name = "correlation_id", columnDefinition = "text")
    private String correlationId;
    @Column(name = "causation_id", columnDefinition = "text")
    private String causationId;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> details;

    public String eventId() { return eventId; }
    public String accountId() { return accountId; }
    public long sequence() { return sequence; }
    public String eventType() { return eventType; }
    public String actor() { return actor; }
    public Instant occurredAt() { return occurredAt; }
    public String commandId() { return commandId; }
    public String correlationId() { return correlationId; }
    public String causationId() { return causationId; }
    public Map<String, String> details() { return details; }
}
