package dev.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.TopicSpec;
import dev.tally.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Strimzi resources against the code: the topics are {@link Topics#ALL}, the broker runs the
 * Kafka the services are built with, clients find a listener, replication fits the brokers, prod
 * has no plaintext listener, and each service's KafkaUser grants exactly what its code does.
 */
class KafkaResourcesTest {

    static final List<String> OVERLAYS = Manifests.OVERLAYS;

    /** Configs a KafkaTopic may add to its TopicSpec: durability, which depends on the cluster. */
    static final Set<String> CLUSTER_DEPENDENT_CONFIGS = Set.of("min.insync.replicas");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void topicsAreTheTopicRegistry(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, JsonNode> topics = new TreeMap<>();
        for (JsonNode topic : m.ofKind("KafkaTopic")) {
            String name = topic.path("spec").path("topicName").asText(Manifests.name(topic));
            assertFalse(topics.containsKey(name), overlay + ": topic " + name + " declared twice");
            topics.put(name, topic);
        }
        assertEquals(Topics.ALL.stream().map(TopicSpec::name).collect(Collectors.toCollection(TreeSet::new)), topics.keySet(),
                overlay + ": KafkaTopics vs dev.tally.schemas.Topics.ALL");
        for (TopicSpec spec : Topics.ALL) {
            JsonNode topic = topics.get(spec.name());
            String where = overlay + ": " + spec.name();
            assertEquals(spec.defaultPartitions(), topic.path("spec").path("partitions").asInt(), where + " partitions");
            Map<String, String> config = new TreeMap<>();
            topic.path("spec").path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            spec.configs().forEach((key, value) -> assertEquals(value, config.get(key), where + " config " + key));
            config.keySet().forEach(key -> assertTrue(spec.configs().containsKey(key) || CLUSTER_DEPENDENT_CONFIGS.contains(key),
                    where + ": config " + key + " is not in Topics; add it there first"));
            assertEquals(Manifests.name(m.only("Kafka")), topic.path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                    where + ": strimzi.io/cluster label");
        }
    }

    @Test
    void eventsAreKeptForever() {
        assertEquals("-1", Topics.LEDGER_EVENTS.configs().get("retention.ms"));
        for (String overlay : OVERLAYS) {
            JsonNode events = Manifests.of(overlay).one("KafkaTopic", Topics.LEDGER_EVENTS.name());
            assertEquals(-1, events.path("spec").path("config").path("retention.ms").asLong(), overlay);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void replicationFitsTheBrokers(String overlay) {
        Manifests m = Manifests.of(overlay);
        int brokers = brokers(m);
        assertTrue(brokers >= 1, overlay + ": no broker");
        JsonNode config = m.only("Kafka").path("spec").path("kafka").path("config");
        for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor")) {
            assertTrue(config.has(key), overlay + ": set " + key + " (its default does not fit every cluster size)");
            assertTrue(config.get(key).asInt() <= brokers, overlay + ": " + key + " above the " + brokers + " brokers");
        }
        assertTrue(config.path("min.insync.replicas").asInt() <= config.path("default.replication.factor").asInt(), overlay);
        assertTrue(config.path("transaction.state.log.min.isr").asInt() <= config.path("transaction.state.log.replication.factor").asInt(), overlay);
        assertFalse(config.path("auto.create.topics.enable").asBoolean(true), overlay + ": topics are declared, not auto-created");
        for (JsonNode topic : m.ofKind("KafkaTopic")) {
            int replicas = topic.path("spec").path("replicas").asInt();
            int minIsr = topic.path("spec").path("config").path("min.insync.replicas").asInt(1);
            assertTrue(replicas >= 1 && replicas <= brokers, Manifests.where(m, topic) + ": replicas " + replicas + " vs " + brokers + " brokers");
            assertTrue(minIsr <= replicas, Manifests.where(m, topic) + ": min.insync.replicas above replicas: nothing could be written");
            if (brokers >= 3) {
                assertEquals(3, replicas, Manifests.where(m, topic) + ": replicas");
                assertEquals(2, minIsr, Manifests.where(m, topic) + ": min.insync.replicas (one broker may be down, no write lost)");
            }
        }
        if (m.isProd()) {
            assertEquals(3, brokers, "prod runs three brokers");
            assertEquals(3, config.path("default.replication.factor").asInt(), "prod: Kafka Streams' changelogs get 3 replicas");
        }
    }

    static int brokers(Manifests m) {
        String cluster = Manifests.name(m.only("Kafka"));
        int brokers = 0;
        for (JsonNode pool : m.ofKind("KafkaNodePool")) {
            assertEquals(cluster, pool.path("metadata").path("labels").path("strimzi.io/cluster").asText(), Manifests.where(m, pool));
            List<String> roles = new ArrayList<>();
            pool.path("spec").path("roles").forEach(r -> roles.add(r.asText()));
            if (roles.contains("broker")) {
                brokers += pool.path("spec").path("replicas").asInt();
            }
        }
        return brokers;
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kraftClusterRunsTheKafkaTheServicesAreBuiltWith(String overlay) {
        Manifests m = Manifests.of(overlay);
        JsonNode kafka = m.only("Kafka");
        assertEquals("enabled", kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText(), overlay);
        assertEquals("enabled", kafka.path("metadata").path("annotations").path("strimzi.io/node-pools").asText(), overlay);
        assertFalse(kafka.path("spec").has("zookeeper"), overlay + ": KRaft, no ZooKeeper");
        String clients = AppInfoParser.getVersion();
        assertEquals(clients, kafka.path("spec").path("kafka").path("version").asText(), overlay + ": broker vs kafka-clients version");
        String[] parts = clients.split("\\.");
        assertTrue(kafka.path("spec").path("kafka").path("metadataVersion").asText().startsWith(parts[0] + "." + parts[1] + "-IV"),
                overlay + ": metadataVersion of Kafka " + clients);
        boolean controllers = false;
        for (JsonNode pool : m.ofKind("KafkaNodePool")) {
            for (JsonNode role : pool.path("spec").path("roles")) {
                controllers |= role.asText().equals("controller");
            }
        }
        assertTrue(controllers, overlay + ": a node pool must hold the KRaft controllers");
        assertTrue(kafka.path("spec").path("entityOperator").has("topicOperator"), overlay + ": the KafkaTopics need the Topic Operator");
        if (m.ofKind("KafkaUser").size() > 0) {
            assertTrue(kafka.path("spec").path("entityOperator").has("userOperator"), overlay + ": the KafkaUsers need the User Operator");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void clientsFindAListener(String overlay) {
        Manifests m = Manifests.of(overlay);
        String cluster = Manifests.name(m.only("Kafka"));
        for (String service : ServiceCode.SERVICES) {
            ServiceCode code = ServiceCode.of(service);
            Env env = Env.of(m, m.one("Deployment", service));
            if (!code.usesKafka()) {
                assertFalse(env.variables().keySet().stream().anyMatch(v -> v.startsWith("KAFKA_")), overlay + ": " + service + " uses no Kafka");
                continue;
            }
            JsonNode listener = listenerFor(m, env.value("KAFKA_BOOTSTRAP_SERVERS"), cluster, overlay + ": " + service);
            boolean tls = listener.path("tls").asBoolean();
            String authentication = listener.path("authentication").path("type").asText("");
            String protocol = env.value("KAFKA_SECURITY_PROTOCOL");
            String expected = (authentication.startsWith("scram") ? "SASL_" : "") + (tls ? "SSL" : "PLAINTEXT");
            if (expected.equals("PLAINTEXT")) {
                assertTrue(protocol == null || protocol.equals("PLAINTEXT"), overlay + ": " + service);
            } else {
                assertEquals(expected, protocol, overlay + ": " + service + " KAFKA_SECURITY_PROTOCOL for listener " + listener.path("name").asText());
            }
            if (authentication.equals("scram-sha-512")) {
                assertEquals("SCRAM-SHA-512", env.value("KAFKA_SASL_MECHANISM"), overlay + ": " + service);
                assertEquals(new Env.FromSecret("tally-" + service, "sasl.jaas.config"), env.variables().get("KAFKA_SASL_JAAS_CONFIG"),
                        overlay + ": " + service + " logs in as its own KafkaUser");
            }
            if (tls) {
                assertEquals("PEM", env.value("KAFKA_SSL_TRUSTSTORE_TYPE"), overlay + ": " + service);
                String truststore = env.value("KAFKA_SSL_TRUSTSTORE_LOCATION");
                JsonNode deployment = m.one("Deployment", service);
                boolean mounted = false;
                for (JsonNode mount : Manifests.container(deployment).path("volumeMounts")) {
                    for (JsonNode volume : Manifests.podSpec(deployment).path("volumes")) {
                        if (volume.path("name").asText().equals(mount.path("name").asText())
                                && volume.path("secret").path("secretName").asText().equals(cluster + "-cluster-ca-cert")) {
                            for (JsonNode item : volume.path("secret").path("items")) {
                                mounted |= (mount.path("mountPath").asText() + "/" + item.path("path").asText()).equals(truststore)
                                        && item.path("key").asText().equals("ca.crt");
                            }
                        }
                    }
                }
                assertTrue(mounted, overlay + ": " + service + " truststore " + truststore + " is not the mounted cluster CA");
            }
        }
    }

    static JsonNode listenerFor(Manifests m, String bootstrap, String cluster, String where) {
        assertTrue(bootstrap != null && bootstrap.matches("[a-z0-9.-]+:\\d+"), where + ": KAFKA_BOOTSTRAP_SERVERS " + bootstrap);
        String host = bootstrap.substring(0, bootstrap.indexOf(':'));
        int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
        assertTrue(host.equals(cluster + "-kafka-bootstrap") || host.startsWith(cluster + "-kafka-bootstrap."),
                where + ": bootstrap host " + host + " is not Strimzi's bootstrap service of " + cluster);
        for (JsonNode listener : m.only("Kafka").path("spec").path("kafka").path("listeners")) {
            if (listener.path("port").asInt() == port) {
                assertEquals("internal", listener.path("type").asText(), where);
                return listener;
            }
        }
        throw new AssertionError(where + ": no listener on port " + port);
    }

    @Test
    void prodHasNoPlaintextListenerAndEnforcesAcls() {
        Manifests m = Manifests.of("prod");
        JsonNode kafka = m.only("Kafka").path("spec").path("kafka");
        assertTrue(kafka.path("listeners").size() > 0);
        for (JsonNode listener : kafka.path("listeners")) {
            assertTrue(listener.path("tls").asBoolean(), "prod listener " + listener.path("name").asText() + " is plaintext");
            assertTrue(Set.of("scram-sha-512", "tls").contains(listener.path("authentication").path("type").asText()),
                    "prod listener " + listener.path("name").asText() + " does not authenticate clients");
        }
        assertEquals("simple", kafka.path("authorization").path("type").asText(), "prod enforces the KafkaUsers' ACLs");
    }

    /**
     * What each service's code does with Kafka, as ACLs (resource type, pattern, name → operations).
     * command-service: Kafka Streams (application.id from application.properties) reads the commands
     * and the account directory, writes events, saga commands, results and the directory, keeps its
     * changelogs and transactions under its application id; CommandBus produces commands;
     * CommandResultListener reads the results with assigned partitions, no group. It writes the
     * subject keys (sink) and reads them back at start-up (WriteModelRecovery); the key store's
     * changelog is under the application id.
     * projection-service: a consumer group per projection, prefixed "tally-projection-"
     * (ProjectionRunner), and rebuilds that assign partitions without a group (RebuildRun).
     * query-service: the subject keys only (KeyRing: assigned partitions, no group, read_committed).
     */
    static Map<String, Map<String, Set<String>>> expectedAcls() {
        String appId = ServiceCode.of("command-service").property("quarkus.kafka-streams.application-id");
        Map<String, Set<String>> command = new TreeMap<>();
        command.put("topic:literal:" + Topics.COMMANDS.name(), Set.of("Read", "Write", "Describe"));
        // Read: WriteModelRecovery folds the events at start-up when the stores are lost.
        command.put("topic:literal:" + Topics.LEDGER_EVENTS.name(), Set.of("Read", "Write", "Describe"));
        command.put("topic:literal:" + Topics.COMMAND_RESULTS.name(), Set.of("Read", "Write", "Describe"));
        command.put("topic:literal:" + Topics.ACCOUNT_DIRECTORY.name(), Set.of("Read", "Write", "Describe"));
        command.put("topic:literal:" + Topics.SUBJECT_KEYS.name(), Set.of("Read", "Write", "Describe"));
        command.put("topic:prefix:" + appId, Set.of("Create", "Read", "Write", "Describe", "DescribeConfigs"));
        command.put("group:prefix:" + appId, Set.of("Read", "Describe"));
        command.put("transactionalId:prefix:" + appId, Set.of("Write", "Describe"));
        Map<String, Set<String>> projection = new TreeMap<>();
        projection.put("topic:literal:" + Topics.LEDGER_EVENTS.name(), Set.of("Read", "Describe"));
        projection.put("group:prefix:tally-projection-", Set.of("Read", "Describe"));
        projection.put("group:prefix:tally-reactor-", Set.of("Read", "Describe"));
        Map<String, Set<String>> query = new TreeMap<>();
        query.put("topic:literal:" + Topics.SUBJECT_KEYS.name(), Set.of("Read", "Describe"));
        return Map.of("command-service", command, "projection-service", projection, "query-service", query);
    }

    @Test
    void expectedAclsFollowTheCode() {
        ServiceCode command = ServiceCode.of("command-service");
        Set<String> streamsTopics = Set.of(command.property("quarkus.kafka-streams.topics").split(","));
        Set<String> granted = expectedAcls().get("command-service").keySet().stream()
                .filter(k -> k.startsWith("topic:literal:")).map(k -> k.substring("topic:literal:".length())).collect(Collectors.toSet());
        assertEquals(streamsTopics, granted, "command-service ACLs vs quarkus.kafka-streams.topics");
        String projections = ServiceCode.read(Manifests.ROOT.resolve(
                "projection-service/src/main/java/dev/tally/projection/runner/BatchWriter.java"));
        assertTrue(projections.contains("return \"tally-projection-\" +"), "projections' group ids are no longer tally-projection-*");
        String reactors = ServiceCode.read(Manifests.ROOT.resolve(
                "projection-service/src/main/java/dev/tally/projection/runner/ReactorWriter.java"));
        assertTrue(reactors.contains("return \"tally-reactor-\" +"), "reactors' group ids are no longer tally-reactor-*");
    }

    @Test
    void eachKafkaServiceHasAUserWithExactlyTheAclsItsCodeNeeds() {
        Manifests m = Manifests.of("prod");
        String cluster = Manifests.name(m.only("Kafka"));
        Map<String, Map<String, Set<String>>> actual = new HashMap<>();
        for (JsonNode user : m.ofKind("KafkaUser")) {
            String where = Manifests.where(m, user);
            assertEquals(cluster, user.path("metadata").path("labels").path("strimzi.io/cluster").asText(), where);
            assertEquals("scram-sha-512", user.path("spec").path("authentication").path("type").asText(), where);
            assertEquals("simple", user.path("spec").path("authorization").path("type").asText(), where);
            Map<String, Set<String>> acls = new TreeMap<>();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                assertEquals("allow", acl.path("type").asText("allow"), where);
                assertEquals("*", acl.path("host").asText("*"), where);
                JsonNode resource = acl.path("resource");
                assertFalse(resource.path("name").asText().contains("*"), where + ": no wildcard resources");
                assertFalse(resource.path("type").asText().equals("cluster"), where + ": no cluster-wide rights");
                String key = resource.path("type").asText() + ":" + resource.path("patternType").asText("literal") + ":"
                        + resource.path("name").asText();
                Set<String> operations = new TreeSet<>();
                acl.path("operations").forEach(o -> operations.add(o.asText()));
                assertFalse(operations.contains("All"), where + ": name the operations, not All");
                assertFalse(acls.containsKey(key), where + ": two rules for " + key);
                acls.put(key, operations);
            }
            actual.put(Manifests.name(user), acls);
        }
        Map<String, Map<String, Set<String>>> expected = new HashMap<>();
        expectedAcls().forEach((service, acls) -> {
            Map<String, Set<String>> sorted = new TreeMap<>();
            acls.forEach((k, v) -> sorted.put(k, new TreeSet<>(v)));
            expected.put("tally-" + service, sorted);
        });
        for (String service : ServiceCode.SERVICES) {
            assertEquals(ServiceCode.of(service).usesKafka(), actual.containsKey("tally-" + service),
                    "prod: a KafkaUser for each service that uses Kafka, and only those: " + service);
        }
        assertEquals(expected, actual, "prod: KafkaUser ACLs");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void onlyTheKafkaServicesMayReachTheTlsListener(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (JsonNode listener : m.only("Kafka").path("spec").path("kafka").path("listeners")) {
            if (!listener.has("networkPolicyPeers")) {
                assertFalse(m.isProd(), "prod: listener " + listener.path("name").asText() + " admits every pod");
                continue;
            }
            Set<String> peers = new TreeSet<>();
            for (JsonNode peer : listener.path("networkPolicyPeers")) {
                peers.add(peer.path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText());
            }
            Set<String> kafkaServices = ServiceCode.SERVICES.stream().filter(s -> ServiceCode.of(s).usesKafka())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(kafkaServices, peers, overlay + ": networkPolicyPeers of " + listener.path("name").asText());
        }
    }
}
