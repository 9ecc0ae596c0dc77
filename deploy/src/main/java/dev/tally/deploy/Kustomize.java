package dev.tally.deploy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Just enough Kustomize to render {@code deploy/overlays/*} without a kustomize binary, so the
 * manifests can be checked offline by the tests. It supports the fields the overlays use and refuses
 * every other one, so an overlay cannot silently grow a feature this renderer would ignore:
 *
 * <ul>
 *   <li>{@code resources}: files (several documents each) and directories with a kustomization;</li>
 *   <li>{@code configMapGenerator} with {@code literals} and {@code behavior} create, merge or replace;
 *       generated ConfigMaps get Kustomize's content-hash suffix and every reference to them
 *       ({@code envFrom}, {@code configMapKeyRef}, {@code configMap} volumes) is renamed;</li>
 *   <li>{@code patches}: strategic-merge patches (merge keys for the built-in lists the overlays
 *       touch: containers, env, volumes, volumeMounts, ports) and JSON 6902 patches (add, replace,
 *       remove), from a file ({@code path}) or inline ({@code patch}), with an optional
 *       {@code target};</li>
 *   <li>{@code namespace}, {@code labels} (without selectors, optionally into pod templates) and
 *       {@code images}.</li>
 * </ul>
 *
 * A strategic-merge patch that sets a list inside a custom resource is refused: without the CRD's
 * schema Kustomize may merge such lists by a guessed key, so the overlays use JSON 6902 there.
 * {@code KustomizeParityTest} compares this renderer with {@code kubectl kustomize} where kubectl is
 * installed.
 */
public final class Kustomize {

    private static final YAMLMapper YAML = YAMLMapper.builder(
                    YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build())
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // Go's encoding/json escapes these in strings; the hash must see the same bytes.
            .disable(JsonGenerator.Feature.ESCAPE_NON_ASCII);

    private static final Set<String> SUPPORTED_FIELDS = Set.of(
            "apiVersion", "kind", "resources", "namespace", "labels", "configMapGenerator", "images", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
            "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");
    /** API groups of the built-in kinds, whose strategic-merge list keys this renderer knows. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of(
            "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io");

    private Kustomize() {
    }

    /** The rendered resources of the kustomization in {@code directory}, as Kustomize would print them. */
    public static List<ObjectNode> render(Path directory) {
        Level level = build(directory);
        applyHashSuffixes(level);
        return level.resources;
    }

    /** Renders {@code directory} to multi-document YAML. */
    public static String renderYaml(Path directory) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode resource : render(directory)) {
            if (!out.isEmpty()) {
                out.append("---\n");
            }
            try {
                out.append(YAML.writeValueAsString(resource));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    /** Prints the rendering of the directory given as the only argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Kustomize DIRECTORY");
            System.exit(2);
        }
        System.out.print(renderYaml(Path.of(args[0])));
    }

    /** Reads every YAML document of a file, skipping empty ones. */
    public static List<ObjectNode> readDocuments(Path file) {
        try {
            List<ObjectNode> documents = new ArrayList<>();
            try (var parser = YAML.getFactory().createParser(file.toFile())) {
                Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    if (node == null || node.isNull() || node.isMissingNode()) {
                        continue;
                    }
                    if (!node.isObject()) {
                        throw new IllegalArgumentException(file + ": a document is not a mapping");
                    }
                    documents.add((ObjectNode) node);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The resources of one kustomization, and which of them are generated ConfigMaps awaiting their hash. */
    private record Level(List<ObjectNode> resources, List<ObjectNode> generated) {
    }

    private static Level build(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No kustomization.yaml in " + directory);
        }
        List<ObjectNode> documents = readDocuments(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + " must hold exactly one document");
        }
        ObjectNode kustomization = documents.getFirst();
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!SUPPORTED_FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + ": '" + field + "' is not supported by this renderer; "
                        + "keep the overlays to " + SUPPORTED_FIELDS + " or teach Kustomize.java the field");
            }
        });
        Level level = new Level(new ArrayList<>(), new ArrayList<>());

        for (JsonNode entry : kustomization.path("resources")) {
            Path resource = directory.resolve(entry.asText()).normalize();
            if (Files.isDirectory(resource)) {
                Level child = build(resource);
                level.resources.addAll(child.resources);
                level.generated.addAll(child.generated);
            } else {
                level.resources.addAll(readDocuments(resource));
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            generate(level, (ObjectNode) generator, file);
        }
        for (JsonNode patch : kustomization.path("patches")) {
            patch(level.resources, (ObjectNode) patch, directory);
        }
        if (kustomization.hasNonNull("namespace")) {
            setNamespace(level.resources, kustomization.get("namespace").asText());
        }
        for (JsonNode labels : kustomization.path("labels")) {
            addLabels(level.resources, (ObjectNode) labels, file);
        }
        for (JsonNode image : kustomization.path("images")) {
            setImage(level.resources, (ObjectNode) image);
        }
        return level;
    }

    // --- configMapGenerator -----------------------------------------------------------------------

    private static void generate(Level level, ObjectNode generator, Path file) {
        Set<String> known = Set.of("name", "literals", "behavior");
        generator.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new IllegalArgumentException(file + ": configMapGenerator field '" + field + "' is not supported");
            }
        });
        String name = generator.path("name").asText();
        Map<String, String> literals = new LinkedHashMap<>();
        for (JsonNode literal : generator.path("literals")) {
            String text = literal.asText();
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ": literal '" + text + "' is not KEY=VALUE");
            }
            String value = text.substring(eq + 1);
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                throw new IllegalArgumentException(file + ": quoted literal '" + text + "': leave the quotes out");
            }
            literals.put(text.substring(0, eq), value);
        }
        String behavior = generator.path("behavior").asText("create");
        ObjectNode existing = level.generated.stream()
                .filter(cm -> cm.path("metadata").path("name").asText().equals(name)).findFirst().orElse(null);
        switch (behavior) {
            case "create" -> {
                if (existing != null) {
                    throw new IllegalArgumentException(file + ": ConfigMap " + name + " already generated; use behavior: merge");
                }
                ObjectNode cm = JsonNodeFactory.instance.objectNode();
                cm.put("apiVersion", "v1");
                cm.put("kind", "ConfigMap");
                cm.putObject("metadata").put("name", name);
                ObjectNode data = cm.putObject("data");
                literals.forEach(data::put);
                level.resources.add(cm);
                level.generated.add(cm);
            }
            case "merge", "replace" -> {
                if (existing == null) {
                    throw new IllegalArgumentException(file + ": no generated ConfigMap " + name + " to " + behavior);
                }
                ObjectNode data = (ObjectNode) existing.get("data");
                if (behavior.equals("replace")) {
                    data.removeAll();
                }
                literals.forEach(data::put);
            }
            default -> throw new IllegalArgumentException(file + ": unknown behavior " + behavior);
        }
    }

    /**
     * Kustomize's name suffix: the first ten hex digits of a SHA-256 over the JSON of kind, name and
     * data, with 0, 1, 3, a and e swapped for letters. Kustomize looks the name up as a single field
     * called "metadata/name", finds nothing and hashes an empty name: the suffix depends on the data only.
     */
    static String configMapHash(Map<String, String> data) {
        Map<String, Object> encoded = new TreeMap<>();
        encoded.put("kind", "ConfigMap");
        encoded.put("name", "");
        encoded.put("data", new TreeMap<>(data));
        try {
            String json = goEscape(JSON.writeValueAsString(encoded));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            char[] hex = HexFormat.of().formatHex(digest).substring(0, 10).toCharArray();
            for (int i = 0; i < hex.length; i++) {
                hex[i] = switch (hex[i]) {
                    case '0' -> 'g';
                    case '1' -> 'h';
                    case '3' -> 'k';
                    case 'a' -> 'm';
                    case 'e' -> 't';
                    default -> hex[i];
                };
            }
            return new String(hex);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's json.Marshal escapes HTML characters; Jackson does not. */
    private static String goEscape(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    private static void applyHashSuffixes(Level level) {
        Map<String, String> renamed = new LinkedHashMap<>();
        for (ObjectNode cm : level.generated) {
            ObjectNode metadata = (ObjectNode) cm.get("metadata");
            String name = metadata.get("name").asText();
            Map<String, String> data = new TreeMap<>();
            cm.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            String hashed = name + "-" + configMapHash(data);
            metadata.put("name", hashed);
            renamed.put(name, hashed);
        }
        for (ObjectNode resource : level.resources) {
            JsonNode podSpec = podSpec(resource);
            if (podSpec == null) {
                continue;
            }
            for (JsonNode container : containers(podSpec)) {
                for (JsonNode from : container.path("envFrom")) {
                    rename(from.path("configMapRef"), renamed);
                }
                for (JsonNode env : container.path("env")) {
                    rename(env.path("valueFrom").path("configMapKeyRef"), renamed);
                }
            }
            for (JsonNode volume : podSpec.path("volumes")) {
                rename(volume.path("configMap"), renamed);
                for (JsonNode source : volume.path("projected").path("sources")) {
                    rename(source.path("configMap"), renamed);
                }
            }
        }
    }

    private static void rename(JsonNode reference, Map<String, String> renamed) {
        if (reference instanceof ObjectNode ref && ref.hasNonNull("name") && renamed.containsKey(ref.get("name").asText())) {
            ref.put("name", renamed.get(ref.get("name").asText()));
        }
    }

    // --- patches ----------------------------------------------------------------------------------

    private static void patch(List<ObjectNode> resources, ObjectNode entry, Path directory) {
        Set<String> known = Set.of("path", "patch", "target");
        entry.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new IllegalArgumentException(directory + ": patch field '" + field + "' is not supported");
            }
        });
        List<JsonNode> bodies = new ArrayList<>();
        String where;
        String text;
        if (entry.hasNonNull("path")) {
            Path file = directory.resolve(entry.get("path").asText());
            where = file.toString();
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read patch " + file, e);
            }
        } else {
            where = directory + " (inline patch)";
            text = entry.path("patch").asText();
        }
        try (var parser = YAML.getFactory().createParser(text)) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    bodies.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse patch " + where, e);
        }
        ObjectNode target = entry.hasNonNull("target") ? (ObjectNode) entry.get("target") : null;
        if (bodies.size() == 1 && bodies.getFirst().isArray()) {
            if (target == null) {
                throw new IllegalArgumentException(where + ": a JSON 6902 patch needs a target");
            }
            for (ObjectNode resource : select(resources, target, where)) {
                for (JsonNode op : bodies.getFirst()) {
                    applyOperation(resource, (ObjectNode) op, where);
                }
            }
            return;
        }
        for (JsonNode body : bodies) {
            if (!body.isObject()) {
                throw new IllegalArgumentException(where + ": a patch is a mapping (strategic merge) or one list (JSON 6902)");
            }
            ObjectNode patch = (ObjectNode) body;
            ObjectNode selector = target;
            if (selector == null) {
                selector = JsonNodeFactory.instance.objectNode();
                selector.put("kind", patch.path("kind").asText());
                selector.put("name", Pattern.quote(patch.path("metadata").path("name").asText()));
            }
            for (ObjectNode resource : select(resources, selector, where)) {
                ObjectNode copy = patch.deepCopy();
                // The patch's own identity only selects; it does not rename what it patches.
                copy.remove("apiVersion");
                copy.remove("kind");
                if (copy.get("metadata") instanceof ObjectNode metadata) {
                    metadata.remove("name");
                    metadata.remove("namespace");
                }
                strategicMerge(resource, copy, builtIn(resource), where, "");
            }
        }
    }

    private static List<ObjectNode> select(List<ObjectNode> resources, ObjectNode target, String where) {
        Set<String> known = Set.of("group", "version", "kind", "name", "namespace");
        target.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new IllegalArgumentException(where + ": target field '" + field + "' is not supported");
            }
        });
        List<ObjectNode> matches = new ArrayList<>();
        for (ObjectNode resource : resources) {
            String apiVersion = resource.path("apiVersion").asText();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            if (matches(target, "group", group) && matches(target, "version", version)
                    && matches(target, "kind", resource.path("kind").asText())
                    && matches(target, "name", resource.path("metadata").path("name").asText())
                    && matches(target, "namespace", resource.path("metadata").path("namespace").asText(""))) {
                matches.add(resource);
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException(where + ": the patch's target " + target + " matches no resource");
        }
        return matches;
    }

    /** Kustomize matches target fields as anchored regular expressions. */
    private static boolean matches(ObjectNode target, String field, String value) {
        return !target.hasNonNull(field) || Pattern.compile("^(?:" + target.get(field).asText() + ")$").matcher(value).matches();
    }

    private static boolean builtIn(ObjectNode resource) {
        String apiVersion = resource.path("apiVersion").asText();
        return BUILT_IN_GROUPS.contains(apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "");
    }

    private static void strategicMerge(ObjectNode target, ObjectNode patch, boolean builtIn, String where, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            String at = path + "/" + key;
            if (key.startsWith("$")) {
                throw new IllegalArgumentException(where + ": directive " + key + " at " + at + " is not supported");
            }
            JsonNode current = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && current instanceof ObjectNode currentObject) {
                strategicMerge(currentObject, (ObjectNode) value, builtIn, where, at);
            } else if (value.isArray()) {
                if (!builtIn) {
                    throw new IllegalArgumentException(where + ": a strategic-merge patch sets the list " + at
                            + " of a custom resource; Kustomize may merge it by a guessed key, so use a JSON 6902 patch");
                }
                String mergeKey = mergeKey(key, (ArrayNode) value);
                if (mergeKey != null && current instanceof ArrayNode currentList) {
                    mergeList(currentList, (ArrayNode) value, mergeKey, where, at);
                } else {
                    target.set(key, value.deepCopy());
                }
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    /** The patchMergeKey of the built-in lists the overlays patch; null means the list is replaced. */
    private static String mergeKey(String field, ArrayNode elements) {
        return switch (field) {
            case "containers", "initContainers", "env", "volumes", "imagePullSecrets" -> "name";
            case "volumeMounts" -> "mountPath";
            case "ports" -> elements.isEmpty() || elements.get(0).has("containerPort") ? "containerPort" : "port";
            default -> null;
        };
    }

    private static void mergeList(ArrayNode current, ArrayNode patch, String mergeKey, String where, String path) {
        int inserted = 0;
        for (JsonNode element : patch) {
            if (!element.isObject() || !element.has(mergeKey)) {
                throw new IllegalArgumentException(where + ": an element of " + path + " lacks its merge key " + mergeKey);
            }
            ObjectNode existing = null;
            for (JsonNode candidate : current) {
                if (candidate.path(mergeKey).equals(element.get(mergeKey))) {
                    existing = (ObjectNode) candidate;
                }
            }
            if (existing == null) {
                // Kustomize puts elements the target lacks first, in the patch's order.
                current.insert(inserted++, element.deepCopy());
            } else {
                strategicMerge(existing, (ObjectNode) element, true, where, path + "[" + mergeKey + "=" + element.get(mergeKey).asText() + "]");
            }
        }
    }

    private static void applyOperation(ObjectNode resource, ObjectNode op, String where) {
        String kind = op.path("op").asText();
        String pointer = op.path("path").asText();
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException(where + ": path '" + pointer + "' is not a JSON pointer");
        }
        List<String> tokens = new ArrayList<>();
        for (String token : pointer.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        JsonNode parent = resource;
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            parent = parent.isArray() ? parent.path(Integer.parseInt(token)) : parent.path(token);
            if (parent.isMissingNode()) {
                throw new IllegalArgumentException(where + ": " + pointer + " does not exist in "
                        + resource.path("kind").asText() + " " + resource.path("metadata").path("name").asText());
            }
        }
        String last = tokens.getLast();
        switch (kind) {
            case "add", "replace" -> {
                JsonNode value = op.get("value");
                if (value == null) {
                    throw new IllegalArgumentException(where + ": " + kind + " " + pointer + " without a value");
                }
                if (parent instanceof ObjectNode object) {
                    if (kind.equals("replace") && !object.has(last)) {
                        throw new IllegalArgumentException(where + ": replace " + pointer + ": nothing there to replace");
                    }
                    object.set(last, value.deepCopy());
                } else if (parent instanceof ArrayNode array) {
                    if (last.equals("-") && kind.equals("add")) {
                        array.add(value.deepCopy());
                    } else if (kind.equals("add")) {
                        array.insert(Integer.parseInt(last), value.deepCopy());
                    } else {
                        array.set(Integer.parseInt(last), value.deepCopy());
                    }
                } else {
                    throw new IllegalArgumentException(where + ": " + pointer + " has no container to write into");
                }
            }
            case "remove" -> {
                if (parent instanceof ObjectNode object && object.has(last)) {
                    object.remove(last);
                } else if (parent instanceof ArrayNode array && Integer.parseInt(last) < array.size()) {
                    array.remove(Integer.parseInt(last));
                } else {
                    throw new IllegalArgumentException(where + ": remove " + pointer + ": nothing there");
                }
            }
            default -> throw new IllegalArgumentException(where + ": JSON 6902 op '" + kind + "' is not supported");
        }
    }

    // --- namespace, labels, images ----------------------------------------------------------------

    private static void setNamespace(List<ObjectNode> resources, String namespace) {
        for (ObjectNode resource : resources) {
            ObjectNode metadata = metadata(resource);
            String kind = resource.path("kind").asText();
            if (kind.equals("Namespace")) {
                metadata.put("name", namespace); // Kustomize renames a Namespace object to the namespace it sets
            } else if (!CLUSTER_SCOPED.contains(kind)) {
                metadata.put("namespace", namespace);
            }
        }
    }

    private static void addLabels(List<ObjectNode> resources, ObjectNode labels, Path file) {
        Set<String> known = Set.of("pairs", "includeSelectors", "includeTemplates");
        labels.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new IllegalArgumentException(file + ": labels field '" + field + "' is not supported");
            }
        });
        if (labels.path("includeSelectors").asBoolean(false)) {
            throw new IllegalArgumentException(file + ": labels with includeSelectors are not supported "
                    + "(selectors are immutable; keep them explicit in the manifests)");
        }
        boolean templates = labels.path("includeTemplates").asBoolean(false);
        for (ObjectNode resource : resources) {
            ObjectNode target = labelsOf(metadata(resource));
            labels.path("pairs").fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue().deepCopy()));
            if (templates && WORKLOADS.contains(resource.path("kind").asText())
                    && resource.path("spec").path("template") instanceof ObjectNode template) {
                ObjectNode templateMetadata = template.has("metadata") ? (ObjectNode) template.get("metadata")
                        : template.putObject("metadata");
                ObjectNode templateLabels = labelsOf(templateMetadata);
                labels.path("pairs").fields().forEachRemaining(e -> templateLabels.set(e.getKey(), e.getValue().deepCopy()));
            }
        }
    }

    private static void setImage(List<ObjectNode> resources, ObjectNode image) {
        String name = image.path("name").asText();
        for (ObjectNode resource : resources) {
            JsonNode podSpec = podSpec(resource);
            if (podSpec == null) {
                continue;
            }
            for (JsonNode container : containers(podSpec)) {
                String current = container.path("image").asText();
                if (!imageName(current).equals(name)) {
                    continue;
                }
                String newName = image.hasNonNull("newName") ? image.get("newName").asText() : imageName(current);
                String reference;
                if (image.hasNonNull("digest")) {
                    reference = newName + "@" + image.get("digest").asText();
                } else if (image.hasNonNull("newTag")) {
                    reference = newName + ":" + image.get("newTag").asText();
                } else {
                    reference = newName + current.substring(imageName(current).length());
                }
                ((ObjectNode) container).put("image", reference);
            }
        }
    }

    /** The image reference without its tag or digest. */
    static String imageName(String image) {
        int at = image.indexOf('@');
        String withoutDigest = at >= 0 ? image.substring(0, at) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    private static ObjectNode metadata(ObjectNode resource) {
        return resource.has("metadata") ? (ObjectNode) resource.get("metadata") : resource.putObject("metadata");
    }

    private static ObjectNode labelsOf(ObjectNode metadata) {
        return metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
    }

    /** The pod spec of a workload, or null. */
    public static JsonNode podSpec(ObjectNode resource) {
        if (!WORKLOADS.contains(resource.path("kind").asText())) {
            return null;
        }
        JsonNode spec = resource.path("spec").path("template").path("spec");
        return spec.isObject() ? spec : null;
    }

    private static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> all = new ArrayList<>();
        podSpec.path("initContainers").forEach(all::add);
        podSpec.path("containers").forEach(all::add);
        return all;
    }
}
