package dev.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer on small inputs: what it does, and that it refuses what it does not do. */
class KustomizeTest {

    @TempDir
    Path dir;

    /** Both values printed by kubectl kustomize (Kustomize v5.5.0) for these literals. */
    @Test
    void configMapSuffixIsKustomizes() {
        assertEquals("bhbf6m2mh9", Kustomize.configMapHash(Map.of("A", "1", "B", "world", "C", "a<b&c")));
        assertEquals("52d7ckb9c9", Kustomize.configMapHash(Map.of("KAFKA_BOOTSTRAP_SERVERS", "tally-kafka-kafka-bootstrap:9092")));
    }

    @Test
    void rendersAnOverlayOverABase() throws IOException {
        write("base/kustomization.yaml", """
                resources: [app.yaml]
                configMapGenerator:
                  - name: app
                    literals: [A=1]
                labels:
                  - pairs: {team: ledger}
                    includeTemplates: true
                """);
        write("base/app.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  selector: {matchLabels: {app: app}}
                  template:
                    metadata: {labels: {app: app}}
                    spec:
                      containers:
                        - name: app
                          image: example/app:1
                          env: [{name: X, value: "1"}]
                          envFrom: [{configMapRef: {name: app}}]
                """);
        write("overlay/kustomization.yaml", """
                namespace: ns
                resources: [../base, ns.yaml]
                images: [{name: example/app, newTag: "2"}]
                configMapGenerator:
                  - name: app
                    behavior: merge
                    literals: [B=2]
                patches:
                  - path: env.yaml
                """);
        write("overlay/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: whatever}\n");
        write("overlay/env.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          env: [{name: Y, value: "2"}, {name: X, value: "3"}]
                """);
        List<ObjectNode> out = Kustomize.render(dir.resolve("overlay"));
        ObjectNode deployment = out.stream().filter(r -> r.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        ObjectNode configMap = out.stream().filter(r -> r.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        ObjectNode namespace = out.stream().filter(r -> r.path("kind").asText().equals("Namespace")).findFirst().orElseThrow();
        JsonNode container = deployment.at("/spec/template/spec/containers/0");

        assertEquals("app-" + Kustomize.configMapHash(Map.of("A", "1", "B", "2")), configMap.at("/metadata/name").asText());
        assertEquals(configMap.at("/metadata/name").asText(), container.at("/envFrom/0/configMapRef/name").asText());
        assertEquals("ns", deployment.at("/metadata/namespace").asText());
        assertEquals("ns", namespace.at("/metadata/name").asText(), "Kustomize renames Namespace objects");
        assertEquals("example/app:2", container.path("image").asText());
        assertEquals("ledger", deployment.at("/spec/template/metadata/labels/team").asText());
        assertEquals("ledger", configMap.at("/metadata/labels/team").asText());
        assertEquals("", deployment.at("/spec/selector/matchLabels/team").asText(), "selectors stay as written");
        // Merged by name: the new variable first (as Kustomize does), the existing one updated in place.
        assertEquals("Y", container.at("/env/0/name").asText());
        assertEquals("X", container.at("/env/1/name").asText());
        assertEquals("3", container.at("/env/1/value").asText());
        assertEquals(2, container.path("env").size());
    }

    @Test
    void refusesFieldsItDoesNotImplement() throws IOException {
        write("k/kustomization.yaml", "resources: []\ncommonLabels: {a: b}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir.resolve("k")));
        assertTrue(e.getMessage().contains("'commonLabels' is not supported"), e.getMessage());
    }

    @Test
    void refusesAStrategicMergeOfACustomResourceList() throws IOException {
        write("k/kustomization.yaml", "resources: [kafka.yaml]\npatches: [{path: patch.yaml}]\n");
        write("k/kafka.yaml", "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: k}\n"
                + "spec: {kafka: {listeners: [{name: plain, port: 9092}]}}\n");
        write("k/patch.yaml", "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: k}\n"
                + "spec: {kafka: {listeners: [{name: tls, port: 9093}]}}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir.resolve("k")));
        assertTrue(e.getMessage().contains("use a JSON 6902 patch"), e.getMessage());
    }

    @Test
    void refusesPatchesThatMissTheirTarget() throws IOException {
        write("k/kustomization.yaml", """
                resources: [cm.yaml]
                patches:
                  - target: {kind: ConfigMap, name: c}
                    patch: |-
                      - op: replace
                        path: /data/missing
                        value: x
                """);
        write("k/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir.resolve("k")));
        assertTrue(e.getMessage().contains("nothing there to replace"), e.getMessage());

        write("k/kustomization.yaml", "resources: [cm.yaml]\npatches: [{path: p.yaml}]\n");
        write("k/p.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {a: c}\n");
        e = assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir.resolve("k")));
        assertTrue(e.getMessage().contains("matches no resource"), e.getMessage());
    }

    private void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
