package dev.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Topics;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Replicas, autoscalers and disruption budgets against what the services can use. */
class ScalingTest {

    static final List<String> OVERLAYS = Manifests.OVERLAYS;

    /** Services scaled by a HorizontalPodAutoscaler. */
    static final List<String> AUTOSCALED = List.of("command-service", "query-service");

    static Optional<JsonNode> hpaFor(Manifests m, String deployment) {
        return m.ofKind("HorizontalPodAutoscaler").stream().map(JsonNode.class::cast)
                .filter(h -> h.path("spec").path("scaleTargetRef").path("name").asText().equals(deployment)).findFirst();
    }

    /** The most replicas a service can run: its autoscaler's maximum, else its fixed count. */
    static int maxReplicas(Manifests m, String service) {
        return hpaFor(m, service).map(h -> h.path("spec").path("maxReplicas").asInt())
                .orElseGet(() -> m.one("Deployment", service).path("spec").path("replicas").asInt(1));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void autoscalersTargetDeploymentsThatLeaveReplicasToThem(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (JsonNode hpa : m.ofKind("HorizontalPodAutoscaler")) {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            assertEquals("apps/v1", target.path("apiVersion").asText(), Manifests.where(m, hpa));
            assertEquals("Deployment", target.path("kind").asText(), Manifests.where(m, hpa));
            JsonNode deployment = m.one("Deployment", target.path("name").asText());
            assertFalse(deployment.path("spec").has("replicas"), Manifests.where(m, deployment)
                    + ": spec.replicas would fight the autoscaler on every apply");
            int min = hpa.path("spec").path("minReplicas").asInt(1);
            int max = hpa.path("spec").path("maxReplicas").asInt();
            assertTrue(1 <= min && min <= max, Manifests.where(m, hpa) + ": " + min + ".." + max);
            assertFalse(hpa.path("spec").path("metrics").isEmpty(), Manifests.where(m, hpa) + ": scales on nothing");
            if (m.isProd()) {
                assertTrue(min >= 2, Manifests.where(m, hpa) + ": prod keeps at least two for availability");
            }
        }
        for (String service : ServiceCode.SERVICES) {
            assertEquals(AUTOSCALED.contains(service), hpaFor(m, service).isPresent(), overlay + ": autoscaler for " + service);
        }
    }

    /** One stream task per partition of the commands topic: more command-service instances sit idle. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void writeModelScalesNoFurtherThanItsPartitions(String overlay) {
        Manifests m = Manifests.of(overlay);
        int partitions = m.one("KafkaTopic", Topics.COMMANDS.name()).path("spec").path("partitions").asInt();
        assertTrue(maxReplicas(m, "command-service") <= partitions, overlay + ": command-service max replicas "
                + maxReplicas(m, "command-service") + " above the " + partitions + " partitions of " + Topics.COMMANDS.name());
    }

    /**
     * The projection service runs more than one instance (a pod lost or drained, the other takes its
     * partitions) and no more than the events topic has partitions: each projection's consumers
     * split them, and an instance without a partition would only wait.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void projectionServiceRunsSeveralInstancesUpToItsPartitions(String overlay) {
        Manifests m = Manifests.of(overlay);
        int replicas = m.one("Deployment", "projection-service").path("spec").path("replicas").asInt(1);
        int partitions = m.one("KafkaTopic", Topics.LEDGER_EVENTS.name()).path("spec").path("partitions").asInt();
        assertTrue(2 <= replicas && replicas <= partitions, overlay + ": projection-service replicas " + replicas
                + " (partitions of " + Topics.LEDGER_EVENTS.name() + ": " + partitions + ")");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyDeploymentHasADrainableDisruptionBudget(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (JsonNode deployment : m.ofKind("Deployment")) {
            JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
            List<JsonNode> budgets = m.ofKind("PodDisruptionBudget").stream().map(JsonNode.class::cast)
                    .filter(p -> Manifests.selects(p.path("spec").path("selector"), podLabels)).toList();
            assertEquals(1, budgets.size(), Manifests.where(m, deployment) + ": disruption budgets selecting it");
            JsonNode spec = budgets.getFirst().path("spec");
            // minAvailable on a one-replica Deployment would block every node drain.
            assertTrue(spec.has("maxUnavailable") && !spec.has("minAvailable"), Manifests.where(m, budgets.getFirst()));
            assertTrue(spec.path("maxUnavailable").asInt() >= 1, Manifests.where(m, budgets.getFirst()));
        }
        for (JsonNode pdb : m.ofKind("PodDisruptionBudget")) {
            assertTrue(m.ofKind("Deployment").stream().anyMatch(d -> Manifests.selects(pdb.path("spec").path("selector"),
                    d.path("spec").path("template").path("metadata").path("labels"))), Manifests.where(m, pdb) + " selects nothing");
        }
    }
}
