package dev.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaClusterSpec;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every rendered object is a valid instance of its model: the built-in kinds as fabric8's
 * (7.6.1) classes, Strimzi's kinds as Strimzi's own API classes, CloudNativePG's Cluster against a
 * field table taken from its CRD. An unknown or misspelled field anywhere fails, as does a kind
 * nobody checks.
 */
class KubernetesModelTest {

    static final List<String> OVERLAYS = Manifests.OVERLAYS;

    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The built-in kinds the manifests may use, and their fabric8 classes. */
    static final Map<String, Class<? extends HasMetadata>> BUILT_IN = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    /** Strimzi's kinds, at the API version the manifests use. */
    static final Map<String, Class<?>> STRIMZI = Map.of(
            "kafka.strimzi.io/v1beta2/Kafka", Kafka.class,
            "kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class,
            "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class,
            "kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class);

    static final String CNPG_CLUSTER = "postgresql.cnpg.io/v1/Cluster";

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyObjectIsOfAKnownKind(String overlay) {
        Manifests m = Manifests.of(overlay);
        assertFalse(m.resources.isEmpty(), overlay + " renders nothing");
        for (ObjectNode resource : m.resources) {
            String key = resource.path("apiVersion").asText() + "/" + resource.path("kind").asText();
            assertTrue(BUILT_IN.containsKey(key) || STRIMZI.containsKey(key) || key.equals(CNPG_CLUSTER),
                    Manifests.where(m, resource) + ": " + key + " is not a kind these tests validate");
            assertFalse(resource.path("kind").asText().equals("Secret"),
                    Manifests.where(m, resource) + ": no Secret in the manifests; reference the operators' secrets");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void builtInKindsMatchFabric8ModelsWithNoUnknownField(String overlay) throws Exception {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        for (ObjectNode resource : m.resources) {
            Class<? extends HasMetadata> type = BUILT_IN.get(resource.path("apiVersion").asText() + "/" + resource.path("kind").asText());
            if (type == null) {
                continue;
            }
            HasMetadata object = MAPPER.treeToValue(resource, type);
            assertEquals(HasMetadata.getApiVersion(type), object.getApiVersion(), Manifests.where(m, resource));
            ModelWalker walker = ModelWalker.walk(object, Manifests.where(m, resource));
            walker.unknownFields().forEach(u -> problems.add("unknown field " + u));
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void strimziResourcesMatchStrimziModelsWithNoUnknownOrDeprecatedField(String overlay) throws Exception {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (ObjectNode resource : m.resources) {
            Class<?> type = STRIMZI.get(resource.path("apiVersion").asText() + "/" + resource.path("kind").asText());
            if (type == null) {
                continue;
            }
            checked++;
            Object object = MAPPER.treeToValue(resource, type);
            ModelWalker walker = ModelWalker.walk(object, Manifests.where(m, resource));
            walker.unknownFields().forEach(u -> problems.add("unknown field " + u));
            walker.deprecatedFields().forEach(d -> problems.add("deprecated field " + d));
        }
        assertTrue(checked >= 6, overlay + ": expected a Kafka, a node pool and topics, checked " + checked);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kafkaConfigAvoidsWhatStrimziManagesItself(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> forbidden = Arrays.stream(KafkaClusterSpec.FORBIDDEN_PREFIXES.split(",")).map(String::trim).toList();
        List<String> exceptions = Arrays.stream(KafkaClusterSpec.FORBIDDEN_PREFIX_EXCEPTIONS.split(",")).map(String::trim).toList();
        m.only("Kafka").path("spec").path("kafka").path("config").fieldNames().forEachRemaining(key -> {
            boolean clash = forbidden.stream().anyMatch(key::startsWith) && !exceptions.contains(key);
            assertFalse(clash, overlay + ": Kafka config " + key + " is set by Strimzi and would be ignored");
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void cloudNativePgClusterHasOnlyKnownFields(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> problems = new ArrayList<>();
        for (ObjectNode cluster : m.ofKind("Cluster")) {
            assertEquals("postgresql.cnpg.io/v1", cluster.path("apiVersion").asText());
            CnpgClusterSchema.check(cluster, Manifests.where(m, cluster), problems);
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void namesAndNamespacesAreValid(String overlay) {
        Manifests m = Manifests.of(overlay);
        String namespace = Manifests.name(m.only("Namespace"));
        for (ObjectNode resource : m.resources) {
            String name = Manifests.name(resource);
            assertTrue(name.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?"), Manifests.where(m, resource) + ": not a DNS subdomain");
            if (!resource.path("kind").asText().equals("Namespace")) {
                assertEquals(namespace, resource.path("metadata").path("namespace").asText(), Manifests.where(m, resource));
            }
            assertEquals("tally", resource.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText(),
                    Manifests.where(m, resource) + ": every object is labelled part-of tally");
        }
    }

    /** No manifest or patch file in deploy/ is left out of a kustomization (rendering parses them all). */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyManifestFileIsUsed(String overlay) throws Exception {
        List<String> used = new ArrayList<>();
        for (Path dir : List.of(Manifests.DEPLOY.resolve("base"), Manifests.DEPLOY.resolve("overlays").resolve(overlay))) {
            JsonNode kustomization = KubectlKustomize.readDocuments(dir.resolve("kustomization.yaml")).getFirst();
            kustomization.path("resources").forEach(r -> used.add(dir.resolve(r.asText()).normalize().toString()));
            kustomization.path("patches").forEach(p -> {
                if (p.hasNonNull("path")) {
                    used.add(dir.resolve(p.get("path").asText()).normalize().toString());
                }
            });
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    if (file.getFileName().toString().equals("kustomization.yaml") || file.startsWith(dir.resolve("overlays"))) {
                        continue;
                    }
                    assertTrue(used.contains(file.normalize().toString()), file + " is in no kustomization");
                }
            }
        }
    }
}
