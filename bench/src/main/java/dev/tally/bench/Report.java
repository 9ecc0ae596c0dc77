package dev.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run measured: table rows (Tally next to its raw baseline of the same run) plus every raw
 * number, written as a markdown report and as JSON. Nothing here judges a number.
 */
final class Report {

    /** One line of the table; {@code ratio} is Tally ÷ baseline, null when there is no baseline. */
    record Row(String measure, String tally, String baseline, String ratio) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> machine;
    private final String command;
    private final Instant startedAt = Instant.now();

    Report(Map<String, Object> machine, String command) {
        this.machine = machine;
        this.command = command;
    }

    void row(String measure, String tally, String baseline, String ratio) {
        rows.add(new Row(measure, tally, baseline == null ? "" : baseline, ratio == null ? "" : ratio));
        System.out.printf("bench: [%4d s] %-58s %s%s%n", Duration.between(startedAt, Instant.now()).toSeconds(), measure, tally, baseline == null || baseline.isEmpty() ? "" : "   | baseline " + baseline);
    }

    void raw(String key, Object value) {
        raw.put(key, value);
    }

    void note(String note) {
        notes.add(note);
        System.out.println("bench: note: " + note);
    }

    static String ratio(double tally, double baseline) {
        if (baseline <= 0 || Double.isNaN(tally) || Double.isNaN(baseline)) {
            return "";
        }
        double r = tally / baseline;
        return r >= 10 ? "%.0f×".formatted(r) : r >= 0.1 ? "%.2f×".formatted(r) : "%.3f×".formatted(r);
    }

    String table() {
        StringBuilder out = new StringBuilder("| measure | Tally | raw baseline, same run | Tally ÷ baseline |\n| --- | --- | --- | --- |\n");
        for (Row row : rows) {
            out.append("| ").append(row.measure()).append(" | ").append(row.tally()).append(" | ")
                    .append(row.baseline()).append(" | ").append(row.ratio()).append(" |\n");
        }
        return out.toString();
    }

    String machineLine() {
        return "%s cores (%s), %s RAM, %s, JDK %s, Kafka %s, PostgreSQL %s, wrk %s, pgbench %s, load average at start %s"
                .formatted(machine.get("cores"), machine.get("cpu"), machine.get("memory"), machine.get("os"),
                        machine.get("jdk"), machine.get("kafka"), machine.get("postgresql"), machine.get("wrk"),
                        machine.get("pgbench"), machine.get("loadAverageAtStart"));
    }

    void write(Path dir, Map<String, Object> settings) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("startedAt", startedAt.toString());
            json.put("finishedAt", Instant.now().toString());
            json.put("command", command);
            json.put("machine", machine);
            json.put("settings", settings);
            json.put("table", rows);
            json.put("notes", notes);
            json.put("raw", raw);
            JSON.writeValue(dir.resolve("report.json").toFile(), json);
            StringBuilder md = new StringBuilder("# Tally benchmark report\n\n");
            md.append("- **command**: `").append(command).append("`\n");
            md.append("- **when**: ").append(startedAt).append(" → ").append(Instant.now()).append("\n");
            md.append("- **machine**: ").append(machineLine()).append("\n");
            md.append("- **settings**: ").append(settings).append("\n\n");
            md.append(table()).append("\n");
            if (!notes.isEmpty()) {
                md.append("Notes:\n\n");
                notes.forEach(n -> md.append("- ").append(n).append("\n"));
            }
            md.append("\nEvery raw number (wrk, pgbench, Kafka tools' output, RSS samples) is in `report.json` beside this file.\n");
            Files.writeString(dir.resolve("report.md"), md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
