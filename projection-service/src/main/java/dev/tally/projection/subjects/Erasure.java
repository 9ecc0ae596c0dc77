package dev.tally.projection.subjects;

import dev.tally.events.SubjectForgotten;
import dev.tally.projection.runner.JdbcBatch;
import dev.tally.projection.runner.ProjectedEvent;
import dev.tally.schemas.personal.PersonalDataCipher;
import dev.tally.schemas.personal.PersonalFields;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a read model does with {@code SubjectForgotten} (issue 16): every personal value it holds for
 * that account becomes {@link PersonalDataCipher#ERASED}, rows written before the event included (and
 * values from before sealing, which no destroyed key would hide). Each projection calls
 * {@link #erase} after its own writes of the batch, in the same transaction, so a rebuild from the
 * log lands on the same erased view. Events after the forget carry the marker already (the write
 * model erases them), so they need nothing here.
 */
public final class Erasure {

    /** Every field name that is personal in some event type: reference, metadata, reason. */
    static final Set<String> PERSONAL_NAMES = PersonalFields.PERSONAL.values().stream()
            .flatMap(Collection::stream).collect(Collectors.toCollection(TreeSet::new));

    private Erasure() {
    }

    /** The accounts whose subject the batch forgets, in order, each once. */
    public static List<String> forgottenAccounts(List<ProjectedEvent> events) {
        return events.stream().filter(e -> e.event() instanceof SubjectForgotten)
                .map(ProjectedEvent::accountId).distinct().toList();
    }

    /**
     * Runs {@code update} once per forgotten account of the batch; its only parameter ({@code ?},
     * once) is the account id.
     */
    public static void erase(Connection transaction, List<ProjectedEvent> events, String update) throws SQLException {
        JdbcBatch.write(transaction, update, forgottenAccounts(events), (statement, account) ->
                statement.setString(1, account));
    }

    /** SQL assignment: a nullable text column becomes the marker unless it is null. */
    public static String text(String column) {
        return "%1$s = case when %1$s is null then null else '%2$s' end".formatted(column, PersonalDataCipher.ERASED);
    }

    /** SQL assignment: every value of a JSON object column becomes the marker; its keys stay. */
    public static String jsonValues(String column) {
        return "%1$s = coalesce((select jsonb_object_agg(key, to_jsonb('%2$s'::text)) from jsonb_each(%1$s)), '{}'::jsonb)"
                .formatted(column, PersonalDataCipher.ERASED);
    }

    /** SQL assignment: the values of a JSON object column under a personal field's name become the marker. */
    public static String personalEntries(String column) {
        String names = PERSONAL_NAMES.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
        return ("%1$s = coalesce((select jsonb_object_agg(key, case when key in (%3$s) then to_jsonb('%2$s'::text)"
                + " else value end) from jsonb_each(%1$s)), '{}'::jsonb)")
                .formatted(column, PersonalDataCipher.ERASED, names);
    }
}
