package dev.tally.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The rendered overlays, rendered once per test JVM, and small look-ups over them. */
final class Manifests {

    /** The repository root (the surefire working directory is the module's). */
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final List<String> OVERLAYS = List.of("dev", "prod");

    private static final Map<String, Manifests> CACHE = new ConcurrentHashMap<>();

    final String overlay;
    final List<ObjectNode> resources;

    private Manifests(String overlay, List<ObjectNode> resources) {
        this.overlay = overlay;
        this.resources = resources;
    }

    static Manifests of(String overlay) {
        return CACHE.computeIfAbsent(overlay, o -> {
            Path dir = DEPLOY.resolve("overlays").resolve(o);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("No overlay " + dir);
            }
            return new Manifests(o, KubectlKustomize.render(dir));
        });
    }

    boolean isProd() {
        return overlay.equals("prod");
    }

    List<ObjectNode> ofKind(String kind) {
        List<ObjectNode> matches = new ArrayList<>();
        for (ObjectNode resource : resources) {
            if (resource.path("kind").asText().equals(kind)) {
                matches.add(resource);
            }
        }
        return matches;
    }

    Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(r -> name(r).equals(name)).findFirst();
    }

    ObjectNode one(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " named " + name));
    }

    /** The only resource of a kind. */
    ObjectNode only(String kind) {
        List<ObjectNode> all = ofKind(kind);
        if (all.size() != 1) {
            throw new AssertionError(overlay + ": expected exactly one " + kind + ", found " + all.size());
        }
        return all.getFirst();
    }

    /** A generated ConfigMap by the name it has before Kustomize's hash suffix. */
    Optional<ObjectNode> configMapByRenderedName(String renderedName) {
        return find("ConfigMap", renderedName);
    }

    static String name(JsonNode resource) {
        return resource.path("metadata").path("name").asText();
    }

    static String where(Manifests m, JsonNode resource) {
        return m.overlay + ": " + resource.path("kind").asText() + " " + name(resource);
    }

    /** The single container of a Deployment. */
    static JsonNode container(JsonNode deployment) {
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        if (containers.size() != 1) {
            throw new AssertionError(name(deployment) + ": expected one container, found " + containers.size());
        }
        return containers.get(0);
    }

    static JsonNode podSpec(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec");
    }

    /** Whether a selector's matchLabels all hold in the given labels. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        JsonNode matchLabels = selector.path("matchLabels");
        if (matchLabels.isEmpty() || selector.has("matchExpressions")) {
            return false;
        }
        var fields = matchLabels.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }
}
