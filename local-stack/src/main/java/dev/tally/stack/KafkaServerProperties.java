package dev.tally.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The broker's server.properties: one node that is its own controller, every replication factor 1. */
public final class KafkaServerProperties {

    private KafkaServerProperties() {
    }

    static Map<String, String> singleNode(Path logDir, int port, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // A static voter set rather than a dynamic quorum (format --standalone): with a dynamic quorum
        // the controller's address is written into the metadata log, and a developer who later moves
        // TALLY_KAFKA_CONTROLLER_PORT would get a broker that can no longer find its own controller.
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.putAll(singleNodeTuning());
        return p;
    }

    /**
     * Everything but addresses and directories: how a one-node broker for Tally behaves. A broker
     * started some other way (a container) gets the same, so that both kinds of stack refuse an
     * unknown topic and run transactions alike.
     */
    public static Map<String, String> singleNodeTuning() {
        Map<String, String> p = new LinkedHashMap<>();
        // Topics come from dev.tally.schemas.Topics only; a typo in a topic name must fail, not create one.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // The internal topics are created on first use; 50 partitions each (the default) cost seconds
        // on a laptop the first time a consumer group or transaction appears, for no gain on one node.
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.num.partitions", "10");
        // No other members can join a one-developer stack, so waiting for them only slows every test.
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    static void write(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder("# Written by dev.tally.stack.KafkaBroker on every start; edits are overwritten.\n");
        properties.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text);
    }
}
