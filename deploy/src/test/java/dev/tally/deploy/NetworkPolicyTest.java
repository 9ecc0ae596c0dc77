package dev.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Only what talks to what: each service takes traffic on its HTTP port alone and reaches only
 * what its code uses (Kafka's brokers on the port its bootstrap address names, PostgreSQL on the
 * port of its JDBC URL) plus DNS.
 */
class NetworkPolicyTest {

    static Stream<Arguments> deployments() {
        return ServiceWiringTest.deployments();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void serviceTalksOnlyToWhatItUses(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        ServiceCode code = ServiceCode.of(service);
        JsonNode deployment = m.one("Deployment", service);
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        List<JsonNode> policies = m.ofKind("NetworkPolicy").stream().map(JsonNode.class::cast)
                .filter(p -> Manifests.selects(p.path("spec").path("podSelector"), podLabels)).toList();
        assertEquals(1, policies.size(), overlay + ": NetworkPolicies selecting " + service);
        JsonNode spec = policies.getFirst().path("spec");
        String where = overlay + ": NetworkPolicy of " + service;

        Set<String> types = new TreeSet<>();
        spec.path("policyTypes").forEach(t -> types.add(t.asText()));
        assertEquals(Set.of("Ingress", "Egress"), types, where);

        int httpPort = code.httpPort();
        assertTrue(spec.path("ingress").size() >= 1, where + ": no ingress at all");
        for (JsonNode rule : spec.path("ingress")) {
            assertEquals(List.of("TCP/" + httpPort), ports(rule), where + ": ingress only to the HTTP port");
        }

        Env env = Env.of(m, deployment);
        Set<String> expected = new TreeSet<>(Set.of("dns"));
        String kafkaPort = null;
        String postgresPort = null;
        if (code.usesKafka()) {
            expected.add("kafka");
            String bootstrap = env.value("KAFKA_BOOTSTRAP_SERVERS");
            kafkaPort = bootstrap.substring(bootstrap.lastIndexOf(':') + 1);
        }
        if (code.usesDatasource()) {
            expected.add("postgres");
            postgresPort = env.value("QUARKUS_DATASOURCE_JDBC_URL").replaceAll("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1");
        }
        if (code.sendsWebhooks()) {
            expected.add("webhooks");
        }
        String otlpPort = null;
        String otlp = env.value("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (otlp != null) {
            expected.add("otel-collector");
            otlpPort = otlp.replaceAll("^https?://[^:/]+:(\\d+).*$", "$1");
        }
        String kafkaCluster = Manifests.name(m.only("Kafka"));
        String postgresCluster = Manifests.name(m.only("Cluster"));
        Set<String> found = new TreeSet<>();
        for (JsonNode rule : spec.path("egress")) {
            JsonNode to = rule.path("to");
            assertEquals(1, to.size(), where + ": one peer per egress rule: " + rule);
            JsonNode peer = to.get(0);
            JsonNode labels = peer.path("podSelector").path("matchLabels");
            if (labels.has("strimzi.io/cluster")) {
                assertEquals(kafkaCluster, labels.path("strimzi.io/cluster").asText(), where);
                assertEquals("Kafka", labels.path("strimzi.io/kind").asText(), where + ": the Kafka nodes, not the operators");
                assertEquals(List.of("TCP/" + kafkaPort), ports(rule), where + ": Kafka egress vs KAFKA_BOOTSTRAP_SERVERS");
                found.add("kafka");
            } else if (labels.has("cnpg.io/cluster")) {
                assertEquals(postgresCluster, labels.path("cnpg.io/cluster").asText(), where);
                assertEquals(List.of("TCP/" + postgresPort), ports(rule), where + ": PostgreSQL egress vs the JDBC URL");
                found.add("postgres");
            } else if (labels.path("k8s-app").asText().equals("kube-dns")) {
                assertEquals("kube-system", peer.path("namespaceSelector").path("matchLabels")
                        .path("kubernetes.io/metadata.name").asText(), where);
                assertTrue(ports(rule).contains("UDP/53"), where + ": DNS over UDP");
                ports(rule).forEach(p -> assertTrue(p.endsWith("/53"), where + ": DNS rule opens " + p));
                found.add("dns");
            } else if (peer.has("ipBlock") && code.sendsWebhooks()) {
                // Webhook receivers are anywhere on the internet, but never inside the cluster's or
                // the cloud's private ranges (the same rule as the service's own SSRF check).
                assertEquals("0.0.0.0/0", peer.path("ipBlock").path("cidr").asText(), where);
                Set<String> except = new TreeSet<>();
                peer.path("ipBlock").path("except").forEach(e -> except.add(e.asText()));
                assertTrue(except.containsAll(Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
                        "100.64.0.0/10", "127.0.0.0/8")), where + ": webhook egress must leave out private ranges: " + except);
                assertEquals(List.of("TCP/443"), ports(rule), where + ": webhooks go out over https only");
                found.add("webhooks");
            } else if (labels.path("app.kubernetes.io/name").asText().equals("opentelemetry-collector")) {
                assertEquals(List.of("TCP/" + otlpPort), ports(rule), where + ": collector egress vs the OTLP endpoint");
                found.add("otel-collector");
            } else {
                throw new AssertionError(where + ": egress to something no service uses: " + rule);
            }
        }
        assertEquals(expected, found, where + ": egress destinations");
    }

    private static List<String> ports(JsonNode rule) {
        List<String> ports = new ArrayList<>();
        rule.path("ports").forEach(p -> ports.add(p.path("protocol").asText("TCP") + "/" + p.path("port").asText()));
        return ports;
    }
}
