package dev.tally.query.subjects;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the read models hold about one data subject (an account {@code owner}), for the right
 * of access: its accounts and every row any read model keeps about them, and every event it caused
 * as an actor. Rows as stored (PostgreSQL's own {@code to_jsonb}: every column, amounts in minor
 * units beside their scale), so nothing is left out by a view that forgot a column. One snapshot
 * (REPEATABLE READ), written out as it is read (a cursor, not a list in memory): an account with a
 * million lines exports in constant memory.
 */
@ApplicationScoped
public class SubjectExport {

    /** Sections of the export, each a select whose only parameters are the subject's account ids. */
    private static final List<Section> BY_ACCOUNT = List.of(
            new Section("accountHistory", "select to_jsonb(t)::text from account_history t where account_id = any(?) order by account_id, sequence"),
            new Section("statementLines", "select to_jsonb(t)::text from entries t where account_id = any(?) order by account_id, sequence"),
            new Section("holds", "select to_jsonb(t)::text from holds t where account_id = any(?) order by account_id, hold_id"),
            new Section("transfers", "select to_jsonb(t)::text from transfers t where from_account_id = any(?) or to_account_id = any(?)"
                    + " order by requested_at, transfer_id"),
            new Section("dailyBalances", "select to_jsonb(t)::text from daily_balances t where account_id = any(?) order by account_id, day"),
            new Section("auditTrail", "select to_jsonb(t)::text from audit_log t where account_id = any(?) order by occurred_at, event_id"));

    private record Section(String name, String sql) {
    }

    // The response stream is the container's to close, not the generator's.
    private static final JsonFactory JSON = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final int FETCH = 500;

    private final AgroalDataSource dataSource;
    private final PersonalData personal;

    SubjectExport(AgroalDataSource dataSource, PersonalData personal) {
        this.dataSource = dataSource;
        this.personal = personal;
    }

    /** Whether the read models hold anything about the subject: an account it owns or an event it caused. */
    public boolean knows(String subject) throws SQLException {
        try (Connection db = dataSource.getConnection();
             PreparedStatement select = db.prepareStatement(
                     "select exists (select 1 from accounts where owner = ?) or exists (select 1 from audit_log where actor = ?)")) {
            select.setString(1, subject);
            select.setString(2, subject);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** Writes the subject's export as one JSON object. */
    public void write(String subject, OutputStream out) throws IOException, SQLException {
        try (Connection db = dataSource.getConnection(); JsonGenerator json = JSON.createGenerator(out)) {
            db.setAutoCommit(false); // a cursor (fetch size) needs a transaction; one snapshot for every section
            db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            db.setReadOnly(true);
            try {
                json.writeStartObject();
                json.writeStringField("subject", subject);
                json.writeStringField("exportedAt", Instant.now().toString());
                json.writeStringField("about", "Every row Tally's read models hold about this subject's accounts, and every"
                        + " event the subject caused as an actor, as stored: amounts in minor units beside their scale.");
                List<String> accounts = new ArrayList<>();
                json.writeArrayFieldStart("accounts");
                try (PreparedStatement select = db.prepareStatement(
                        "select account_id, to_jsonb(t)::text from accounts t where owner = ? order by account_id")) {
                    select.setString(1, subject);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            accounts.add(rows.getString(1));
                            writeRevealed(rows.getString(2), json);
                        }
                    }
                }
                json.writeEndArray();
                java.sql.Array ids = db.createArrayOf("text", accounts.toArray());
                for (Section section : BY_ACCOUNT) {
                    json.writeArrayFieldStart(section.name());
                    try (PreparedStatement select = db.prepareStatement(section.sql())) {
                        for (int i = 1; i <= select.getParameterMetaData().getParameterCount(); i++) {
                            select.setArray(i, ids);
                        }
                        rows(select, json);
                    }
                    json.writeEndArray();
                }
                json.writeArrayFieldStart("actedAs");
                try (PreparedStatement select = db.prepareStatement(
                        "select to_jsonb(t)::text from audit_log t where actor = ? order by occurred_at, event_id")) {
                    select.setString(1, subject);
                    rows(select, json);
                }
                json.writeEndArray();
                json.writeEndObject();
            } finally {
                db.rollback();
            }
        }
    }

    private void rows(PreparedStatement select, JsonGenerator json) throws SQLException, IOException {
        select.setFetchSize(FETCH);
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                writeRevealed(rows.getString(1), json);
            }
        }
    }

    /**
     * One row copied token by token, each string revealed (opened, or [erased]): the subject gets its
     * data, not ciphertext, and no row is held as a tree.
     */
    private void writeRevealed(String row, JsonGenerator json) throws IOException {
        try (JsonParser parser = JSON.createParser(row)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.VALUE_STRING) {
                    json.writeString(personal.reveal(parser.getText()));
                } else {
                    json.copyCurrentEvent(parser);
                }
            }
        }
    }
}
