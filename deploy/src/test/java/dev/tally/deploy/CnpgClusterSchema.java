package dev.tally.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of CloudNativePG's {@code Cluster} (postgresql.cnpg.io/v1) that these manifests may use,
 * written down from its CRD ({@code config/crd/bases/postgresql.cnpg.io_clusters.yaml}, as of
 * August 2026): field names, their types, and the enums. Fields of Kubernetes types go through
 * fabric8's classes. It is a whitelist: a field the manifests start to use must be added here, after
 * a look at the CRD.
 */
final class CnpgClusterSchema {

    private sealed interface Type permits Obj, Scalar, Enum, StringMap, K8s, ListOf {
    }

    private record Obj(Map<String, Type> fields, Set<String> required) implements Type {
        Obj(Map<String, Type> fields) {
            this(fields, Set.of());
        }
    }

    private enum Scalar implements Type { INT, BOOL, STRING }

    private record Enum(Set<String> values) implements Type {
    }

    /** A map of free keys to string values (postgresql.parameters, nodeSelector). */
    private record StringMap() implements Type {
    }

    private record K8s(Class<?> model) implements Type {
    }

    private record ListOf(Type element) implements Type {
    }

    private static final Type SPEC = new Obj(Map.ofEntries(
            Map.entry("instances", Scalar.INT),
            Map.entry("description", Scalar.STRING),
            Map.entry("imageName", Scalar.STRING),
            Map.entry("imagePullPolicy", new Enum(Set.of("Always", "Never", "IfNotPresent"))),
            Map.entry("primaryUpdateStrategy", new Enum(Set.of("unsupervised", "supervised"))),
            Map.entry("primaryUpdateMethod", new Enum(Set.of("switchover", "restart"))),
            Map.entry("enableSuperuserAccess", Scalar.BOOL),
            Map.entry("enablePDB", Scalar.BOOL),
            Map.entry("startDelay", Scalar.INT),
            Map.entry("stopDelay", Scalar.INT),
            Map.entry("smartShutdownTimeout", Scalar.INT),
            Map.entry("switchoverDelay", Scalar.INT),
            Map.entry("minSyncReplicas", Scalar.INT),
            Map.entry("maxSyncReplicas", Scalar.INT),
            Map.entry("bootstrap", new Obj(Map.of(
                    "initdb", new Obj(Map.of(
                            "database", Scalar.STRING,
                            "owner", Scalar.STRING,
                            "dataChecksums", Scalar.BOOL,
                            "encoding", Scalar.STRING,
                            "localeCollate", Scalar.STRING,
                            "localeCType", Scalar.STRING,
                            "walSegmentSize", Scalar.INT))))),
            Map.entry("postgresql", new Obj(Map.of(
                    "parameters", new StringMap(),
                    "shared_preload_libraries", new ListOf(Scalar.STRING)))),
            Map.entry("storage", new Obj(Map.of(
                    "size", Scalar.STRING,
                    "storageClass", Scalar.STRING,
                    "resizeInUseVolumes", Scalar.BOOL))),
            Map.entry("walStorage", new Obj(Map.of(
                    "size", Scalar.STRING,
                    "storageClass", Scalar.STRING))),
            Map.entry("resources", new K8s(ResourceRequirements.class)),
            Map.entry("affinity", new Obj(Map.of(
                    "enablePodAntiAffinity", Scalar.BOOL,
                    "topologyKey", Scalar.STRING,
                    "podAntiAffinityType", new Enum(Set.of("preferred", "required")),
                    "nodeSelector", new StringMap(),
                    "tolerations", new ListOf(new K8s(Toleration.class)))))),
            Set.of("instances"));

    private static final Type CLUSTER = new Obj(Map.of(
            "apiVersion", Scalar.STRING,
            "kind", Scalar.STRING,
            "metadata", new K8s(ObjectMeta.class),
            "spec", SPEC), Set.of("apiVersion", "kind", "metadata", "spec"));

    private CnpgClusterSchema() {
    }

    static void check(JsonNode cluster, String where, List<String> problems) {
        check(CLUSTER, cluster, where, problems);
    }

    private static void check(Type type, JsonNode value, String path, List<String> problems) {
        switch (type) {
            case Obj obj -> {
                if (!value.isObject()) {
                    problems.add(path + ": expected an object");
                    return;
                }
                value.fieldNames().forEachRemaining(field -> {
                    if (!obj.fields().containsKey(field)) {
                        problems.add(path + ": unknown field '" + field + "' (known: " + obj.fields().keySet() + ")");
                    }
                });
                obj.required().forEach(field -> {
                    if (!value.has(field)) {
                        problems.add(path + ": missing required field '" + field + "'");
                    }
                });
                obj.fields().forEach((field, fieldType) -> {
                    if (value.has(field)) {
                        check(fieldType, value.get(field), path + "." + field, problems);
                    }
                });
            }
            case Scalar scalar -> {
                boolean ok = switch (scalar) {
                    case INT -> value.isIntegralNumber();
                    case BOOL -> value.isBoolean();
                    case STRING -> value.isTextual();
                };
                if (!ok) {
                    problems.add(path + ": expected " + scalar + ", found " + value);
                }
            }
            case Enum e -> {
                if (!value.isTextual() || !e.values().contains(value.asText())) {
                    problems.add(path + ": expected one of " + e.values() + ", found " + value);
                }
            }
            case StringMap ignored -> value.fields().forEachRemaining(entry -> {
                if (!entry.getValue().isTextual()) {
                    problems.add(path + "." + entry.getKey() + ": must be a string (quote it), found " + entry.getValue());
                }
            });
            case K8s k8s -> {
                try {
                    Object model = KubernetesModelTest.MAPPER.treeToValue(value, k8s.model());
                    ModelWalker.walk(model, path).unknownFields().forEach(u -> problems.add("unknown field " + u));
                } catch (Exception e) {
                    problems.add(path + ": not a " + k8s.model().getSimpleName() + ": " + e.getMessage());
                }
            }
            case ListOf list -> {
                if (!value.isArray()) {
                    problems.add(path + ": expected a list");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(list.element(), value.get(i), path + "[" + i + "]", problems);
                }
            }
        }
    }
}
