package dev.tally.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's machine line: what the numbers were measured on. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe(Target target) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", firstMatching("/proc/cpuinfo", "model name").map(l -> l.replaceFirst(".*:\\s*", "")).orElse("?"));
        m.put("memory", firstMatching("/proc/meminfo", "MemTotal").map(l -> "%.0f GB".formatted(
                Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).orElse("?"));
        m.put("os", firstMatching("/etc/os-release", "PRETTY_NAME").map(l -> l.replaceFirst(".*=", "").replace("\"", ""))
                .orElse(System.getProperty("os.name")));
        m.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        m.put("kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion());
        String pg = "?";
        try (var c = DriverManager.getConnection(target.jdbcUrl, target.pgUser, target.pgPassword);
             var rs = c.createStatement().executeQuery("SHOW server_version")) {
            rs.next();
            pg = rs.getString(1);
        } catch (Exception e) {
            pg = "unreachable: " + e.getMessage();
        }
        m.put("postgresql", pg);
        m.put("wrk", Shell.version(List.of("wrk", "-v")).replaceFirst("^wrk ", "").replaceFirst(" Copyright.*", ""));
        m.put("pgbench", Shell.version(List.of("pgbench", "--version")).replaceFirst("^pgbench \\(PostgreSQL\\) ", ""));
        m.put("loadAverageAtStart", firstMatching("/proc/loadavg", "").map(l -> String.join(" ",
                java.util.Arrays.asList(l.split(" ")).subList(0, 3))).orElse("?"));
        m.put("services", "JVM defaults of ./run (no -Xmx), one instance each, 6 partitions per topic");
        return m;
    }

    private static java.util.Optional<String> firstMatching(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst();
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }
}
