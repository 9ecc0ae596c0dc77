package dev.tally.projection.audit;

import dev.tally.events.EventMeta;
import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.JsonText;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.subjects.Erasure;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** {@code audit}: who did what and when, one row per event, from the event's metadata and facts. */
@ApplicationScoped
public class AuditProjection implements Projection {

    public static final String NAME = "audit";

    @Override
    public List<String> tables() {
        return List.of("audit_log");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The event's own facts (everything but the envelope), as text. */
    public static Map<String, String> details(ProjectedEvent projected) {
        Map<String, String> details = new LinkedHashMap<>();
        for (Schema.Field field : projected.event().getSchema().getFields()) {
            Object value = projected.event().get(field.pos());
            if (!field.name().equals("meta") && value != null) {
                details.put(field.name(), String.valueOf(value));
            }
        }
        return details;
    }

    @Override
    public void apply(Connection transaction, List<ProjectedEvent> events) throws SQLException {
        JdbcBatch.write(transaction, """
                insert into audit_log (event_id, account_id, sequence, event_type, actor, occurred_at, command_id,
                                       correlation_id, causation_id, details)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""", events, (insert, projected) -> {
                    EventMeta meta = projected.meta();
                    insert.setString(1, meta.getEventId());
                    insert.setString(2, meta.getAccountId());
                    insert.setLong(3, meta.getSequence());
                    insert.setString(4, projected.event().getSchema().getName());
                    insert.setString(5, meta.getActor());
                    insert.setTimestamp(6, JdbcBatch.timestamp(meta.getOccurredAt()));
                    insert.setString(7, meta.getCommandId());
                    insert.setString(8, meta.getCorrelationId());
                    insert.setString(9, meta.getCausationId());
                    insert.setString(10, JsonText.of(details(projected)));
                });
        // The trail keeps who did what and when (and the SubjectForgotten itself); only the text goes.
        Erasure.erase(transaction, events, "audit_log", "t.account_id = f.account", Erasure.jsonValues("details"));
    }
}
