package dev.tally.projection.subjects;

import dev.tally.events.SubjectForgotten;
import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.schemas.personal.PersonalDataCipher;
import dev.tally.schemas.personal.SealedText;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a read model does with {@code SubjectForgotten} (issue 16): every value it holds that was
 * sealed with the forgotten key becomes {@link PersonalDataCipher#ERASED}. Each projection calls
 * {@link #erase} after its own writes of the batch, in the same transaction.
 *
 * <p>Only values sealed with that key are touched, never a column as such: whatever a batch holds
 * besides the forget (later events of the account, the other side of a transfer, a refund's system
 * detail) keeps its value, so the rows are the same however the log is cut into batches and
 * whichever partition is read first, and a rebuild lands on the same rows. Text written before
 * sealing (plain in the log) is not the key's and stays.
 */
public final class Erasure {

    private Erasure() {
    }

    /** One forgotten key: its account and what its sealed values start with. */
    record Forgotten(String accountId, String sealedPrefix) {
    }

    /** The keys the batch forgets, in order (a SubjectForgotten without a key sealed nothing). */
    static List<Forgotten> forgotten(List<ProjectedEvent> events) {
        return events.stream()
                .filter(e -> e.event() instanceof SubjectForgotten forgotten && forgotten.getKeyId() != null)
                .map(e -> new Forgotten(e.accountId(),
                        SealedText.prefixOf(((SubjectForgotten) e.event()).getKeyId().toString())))
                .distinct().toList();
    }

    /**
     * Erases, in {@code table} (alias {@code t}), the values of {@code assignments} sealed with each
     * key the batch forgets, on the rows {@code rows} selects; {@code f.account} is the forgotten
     * account and {@code f.prefix} the key's sealed prefix, in both.
     */
    public static void erase(Connection transaction, List<ProjectedEvent> events, String table, String rows,
                             String... assignments) throws SQLException {
        String update = """
                with f as (select ?::text as account, ?::text as prefix)
                update %s t set %s from f
                where (%s) and strpos(t::text, f.prefix) > 0""".formatted(table, String.join(", ", assignments), rows);
        JdbcBatch.write(transaction, update, forgotten(events), (statement, forgotten) -> {
            statement.setString(1, forgotten.accountId());
            statement.setString(2, forgotten.sealedPrefix());
        });
    }

    /** SQL assignment: a text column sealed with the key becomes the marker. */
    public static String text(String column) {
        return "%1$s = case when strpos(t.%1$s, f.prefix) > 0 then '%2$s' else t.%1$s end"
                .formatted(column, PersonalDataCipher.ERASED);
    }

    /**
     * SQL assignment: each value of a JSON object column that holds a value sealed with the key
     * becomes the marker (an audit detail may hold one inside its text, as a metadata map does).
     */
    public static String jsonValues(String column) {
        return ("%1$s = coalesce((select jsonb_object_agg(e.key, case when strpos(e.value #>> '{}', f.prefix) > 0"
                + " then to_jsonb('%2$s'::text) else e.value end) from jsonb_each(t.%1$s) e), '{}'::jsonb)")
                .formatted(column, PersonalDataCipher.ERASED);
    }
}
