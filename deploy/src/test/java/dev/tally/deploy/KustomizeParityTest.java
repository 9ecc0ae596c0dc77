package dev.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Where kubectl is installed (it is on this project's machines; it needs no cluster for this), the
 * Java renderer must produce exactly what {@code kubectl kustomize} does: same objects, same
 * fields, same list order, same ConfigMap hash suffixes. Elsewhere the test is skipped, and the
 * other tests still check the Java rendering.
 */
class KustomizeParityTest {

    static final List<String> OVERLAYS = Manifests.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void javaRenderingEqualsKubectlKustomize(String overlay) throws Exception {
        String kubectl = onPath("kubectl");
        assumeTrue(kubectl != null, "kubectl is not installed: parity with Kustomize not checked");
        Path dir = Manifests.DEPLOY.resolve("overlays").resolve(overlay);
        Path out = Files.createTempFile("kustomize-" + overlay, ".yaml");
        Path err = Files.createTempFile("kustomize-" + overlay, ".err");
        try {
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assumeTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish in 60 s");
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assumeTrue(!stderr.contains("unknown command"), "this kubectl has no kustomize: " + stderr);
            assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + " failed:\n" + stderr);
            Map<String, JsonNode> expected = byIdentity(Kustomize.readDocuments(out));
            Map<String, JsonNode> actual = byIdentity(Manifests.of(overlay).resources);
            assertEquals(expected.keySet(), actual.keySet(), overlay + ": objects");
            for (String id : expected.keySet()) {
                assertEquals(expected.get(id), actual.get(id), overlay + ": " + id + " differs from kubectl kustomize");
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Map<String, JsonNode> byIdentity(List<? extends JsonNode> resources) {
        Map<String, JsonNode> map = new TreeMap<>();
        for (JsonNode r : resources) {
            String id = r.path("apiVersion").asText() + " " + r.path("kind").asText() + " "
                    + r.path("metadata").path("namespace").asText() + "/" + r.path("metadata").path("name").asText();
            assertTrue(map.put(id, r) == null, "twice: " + id);
        }
        return map;
    }

    private static String onPath(String command) throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
