package dev.tally.replay;

import dev.tally.stack.StackSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./run replay-check [--log FILE] [--record FILE]}: replays the local stack's events topic
 * (or a recorded log) through today's code into a scratch database; exits 1 at the first failure.
 * {@code --record FILE} also saves the topic as a recorded log, e.g. for a test fixture.
 */
public final class ReplayCheckMain {

    private ReplayCheckMain() {
    }

    public static void main(String[] args) throws Exception {
        Path log = null;
        Path record = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--log" -> log = Path.of(args[++i]);
                case "--record" -> record = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ./run replay-check [--log FILE] [--record FILE]");
                    System.exit(2);
                }
            }
        }
        List<LogRecord> records;
        if (log != null) {
            records = RecordedLog.read(log);
        } else {
            StackSettings settings = StackSettings.fromEnvironment(System.getenv(),
                    Path.of(System.getProperty("tally.root", ".")).toAbsolutePath());
            records = KafkaLog.readAll("127.0.0.1:" + settings.kafkaPort());
        }
        if (record != null) {
            RecordedLog.write(record, records);
            System.out.println("replay-check: recorded " + records.size() + " records to " + record);
        }
        try (ScratchDatabase scratch = ScratchDatabase.start()) {
            ReplayReport report = new ReplayCheck(scratch.dataSource()).run(records);
            System.out.print(report.describe());
            System.out.println();
            if (!report.ok()) {
                System.exit(1);
            }
        }
    }
}
