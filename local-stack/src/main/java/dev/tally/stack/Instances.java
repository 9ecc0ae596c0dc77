package dev.tally.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./run --instances command=3,projection=2,query=2}: how many instances of each service the
 * local stack runs. The first of each is the stack's own, on its usual port; each further one is on
 * that port plus 10 per instance (command-service 8081, 8091, 8101 …), with what it must not share
 * with the others: its own Kafka Streams state directory (RocksDB locks it), its own static group
 * membership id (two consumers with one id fence each other).
 */
public record Instances(Map<String, Integer> counts) {

    public static final int PORT_STEP = 10;
    private static final Map<String, String> SHORT_NAMES = Map.of(
            "command", LocalStack.COMMAND_SERVICE, "projection", LocalStack.PROJECTION_SERVICE,
            "query", LocalStack.QUERY_SERVICE);
    private static final int MOST = 6; // the partitions of the commands and events topics

    /** One instance beyond the stack's own. */
    public record Extra(String service, int number, int port, Map<String, String> env) {
    }

    public static Instances one() {
        return new Instances(Map.of());
    }

    /** Parses {@code command=3,projection=2}; services left out run one instance. */
    public static Instances parse(String spec) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] pair = part.trim().split("=", -1);
            String service = pair.length == 2 ? SHORT_NAMES.get(pair[0].trim()) : null;
            if (service == null) {
                throw new IllegalArgumentException("--instances takes service=count pairs (command, projection, query), e.g."
                        + " command=3,projection=2; not \"" + part.trim() + "\"");
            }
            int count;
            try {
                count = Integer.parseInt(pair[1].trim());
            } catch (NumberFormatException e) {
                count = 0;
            }
            if (count < 1 || count > MOST) {
                throw new IllegalArgumentException("--instances: " + pair[0].trim() + " takes 1 to " + MOST
                        + " instances (the topics have " + MOST + " partitions), not \"" + pair[1].trim() + "\"");
            }
            if (counts.put(service, count) != null) {
                throw new IllegalArgumentException("--instances names " + pair[0].trim() + " twice");
            }
        }
        return new Instances(Map.copyOf(counts));
    }

    /** The instances to start once the stack is up, in a stable order. */
    public List<Extra> extras(StackSettings settings) {
        List<Extra> extras = new ArrayList<>();
        for (String service : List.of(LocalStack.COMMAND_SERVICE, LocalStack.PROJECTION_SERVICE, LocalStack.QUERY_SERVICE)) {
            int basePort = switch (service) {
                case LocalStack.COMMAND_SERVICE -> settings.commandPort();
                case LocalStack.PROJECTION_SERVICE -> settings.projectionPort();
                default -> settings.queryPort();
            };
            for (int number = 2; number <= counts.getOrDefault(service, 1); number++) {
                Map<String, String> env = new LinkedHashMap<>();
                switch (service) {
                    case LocalStack.COMMAND_SERVICE -> env.put("TALLY_STREAMS_STATE_DIR",
                            stateDir(settings.dataDir(), number).toString());
                    case LocalStack.PROJECTION_SERVICE -> env.put("TALLY_PROJECTION_INSTANCE_ID", "local-projection-" + number);
                    default -> { }
                }
                extras.add(new Extra(service, number, basePort + PORT_STEP * (number - 1), Map.copyOf(env)));
            }
        }
        return extras;
    }

    private static Path stateDir(Path dataDir, int number) {
        return dataDir.resolve(LocalStack.COMMAND_SERVICE).resolve("streams-" + number);
    }
}
