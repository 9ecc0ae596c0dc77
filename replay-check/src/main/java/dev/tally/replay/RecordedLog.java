package dev.tally.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A log on disk: one JSON line per record (partition, offset, timestamp, key, headers and value in
 * base64). The value bytes are exactly what was on the topic, so a recorded log keeps old encodings.
 */
public final class RecordedLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedLog() {
    }

    public static List<LogRecord> read(Path file) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                Map<String, byte[]> headers = new LinkedHashMap<>();
                node.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), decode(h.getValue().asText())));
                records.add(new LogRecord(node.get("partition").asInt(), node.get("offset").asLong(),
                        node.path("timestamp").asLong(), node.path("key").isNull() ? null : node.path("key").asText(),
                        headers, decode(node.get("value").asText())));
            }
        }
        return records;
    }

    public static void write(Path file, List<LogRecord> records) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LogRecord record : records) {
                ObjectNode node = JSON.createObjectNode();
                node.put("partition", record.partition());
                node.put("offset", record.offset());
                node.put("timestamp", record.timestamp());
                node.put("key", record.key());
                ObjectNode headers = node.putObject("headers");
                record.headers().forEach((name, value) -> headers.put(name, Base64.getEncoder().encodeToString(value)));
                node.put("value", Base64.getEncoder().encodeToString(record.value()));
                out.write(JSON.writeValueAsString(node));
                out.newLine();
            }
        }
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }
}
