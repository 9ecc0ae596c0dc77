package dev.tally.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The broker's own speed, from Kafka's perf tools (the kafka-tools artifact, the same classes as
 * {@code kafka-producer-perf-test.sh} and {@code kafka-e2e-latency.sh}), each in a JVM of its own so
 * that it does not share a heap or a JIT with the suite.
 */
final class KafkaBaselines {

    static final String PERF_TOPIC = "tally-bench.producer-perf";
    static final String E2E_TOPIC = "tally-bench.e2e-latency";

    record ProducerPerf(long records, double perSecond, double mbPerSecond, double avgMs, double p99Ms, String output) {
    }

    record EndToEnd(double avgMs, double p50Ms, double p99Ms, double p999Ms, String output) {
    }

    private final String bootstrap;

    KafkaBaselines(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Creates the baselines' topics, as many partitions as the commands topic: the tools' own would be one. */
    void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(PERF_TOPIC)) {
                missing.add(new NewTopic(PERF_TOPIC, 6, (short) 1));
            }
            if (!existing.contains(E2E_TOPIC)) {
                missing.add(new NewTopic(E2E_TOPIC, 1, (short) 1));
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        }
    }

    /** A transactional producer (one transaction per 100 ms, like an exactly-once commit), acks=all. */
    ProducerPerf producerPerformance(long records, int recordSize) {
        Shell.Output out = java("org.apache.kafka.tools.ProducerPerformance", List.of(
                "--topic", PERF_TOPIC, "--num-records", String.valueOf(records), "--record-size",
                String.valueOf(recordSize), "--throughput", "-1", "--transactional-id", "tally-bench-perf",
                "--transaction-duration-ms", "100", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all",
                "linger.ms=5", "batch.size=262144"), 600);
        Matcher m = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg latency"
                + ".*?, [0-9]+ ms 95th, ([0-9]+) ms 99th").matcher(out.text());
        if (!m.find()) {
            throw new IllegalStateException("ProducerPerformance printed no summary: " + out.text());
        }
        return new ProducerPerf(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), out.text());
    }

    /** One record at a time, produced (acks=all) and consumed back: the broker's round trip. */
    EndToEnd endToEndLatency(int records, int recordSize) {
        Shell.Output out = java("org.apache.kafka.tools.EndToEndLatency", List.of(bootstrap, E2E_TOPIC,
                String.valueOf(records), "all", String.valueOf(recordSize)), 600);
        Matcher avg = Pattern.compile("Avg latency: ([0-9.]+) ms").matcher(out.text());
        Matcher pct = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)").matcher(out.text());
        if (!avg.find() || !pct.find()) {
            throw new IllegalStateException("EndToEndLatency printed no summary: " + out.text());
        }
        return new EndToEnd(Double.parseDouble(avg.group(1)), Double.parseDouble(pct.group(1)),
                Double.parseDouble(pct.group(2)), Double.parseDouble(pct.group(3)), out.text());
    }

    private static Shell.Output java(String mainClass, List<String> args, long timeoutSeconds) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return Shell.run(command, Map.of(), timeoutSeconds);
    }
}
