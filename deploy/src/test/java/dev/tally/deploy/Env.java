package dev.tally.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The environment a Deployment's container gets, each variable with where its value comes from. */
record Env(Map<String, Source> variables) {

    sealed interface Source permits Literal, FromConfigMap, FromSecret, FromField {
    }

    record Literal(String value) implements Source {
    }

    record FromConfigMap(String configMap, String value) implements Source {
    }

    record FromSecret(String secret, String key) implements Source {
    }

    record FromField(String fieldPath) implements Source {
    }

    static Env of(Manifests m, JsonNode deployment) {
        JsonNode container = Manifests.container(deployment);
        Map<String, Source> variables = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            if (!from.has("configMapRef") || from.has("prefix")) {
                throw new AssertionError(Manifests.where(m, deployment) + ": envFrom only from ConfigMaps, without prefix: " + from);
            }
            String name = from.path("configMapRef").path("name").asText();
            JsonNode configMap = m.configMapByRenderedName(name)
                    .orElseThrow(() -> new AssertionError(Manifests.where(m, deployment) + ": envFrom names ConfigMap "
                            + name + ", which the overlay does not render"));
            configMap.path("data").fields().forEachRemaining(e -> put(m, deployment, variables, e.getKey(),
                    new FromConfigMap(name, e.getValue().asText())));
        }
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            JsonNode valueFrom = env.path("valueFrom");
            Source source;
            if (env.has("value")) {
                source = new Literal(env.get("value").asText());
            } else if (valueFrom.has("secretKeyRef")) {
                source = new FromSecret(valueFrom.path("secretKeyRef").path("name").asText(),
                        valueFrom.path("secretKeyRef").path("key").asText());
            } else if (valueFrom.has("fieldRef")) {
                source = new FromField(valueFrom.path("fieldRef").path("fieldPath").asText());
            } else {
                throw new AssertionError(Manifests.where(m, deployment) + ": env " + name + " has an unexpected source " + env);
            }
            put(m, deployment, variables, name, source);
        }
        return new Env(variables);
    }

    private static void put(Manifests m, JsonNode deployment, Map<String, Source> variables, String name, Source source) {
        if (variables.put(name, source) != null) {
            throw new AssertionError(Manifests.where(m, deployment) + ": " + name + " is set twice; one silently wins");
        }
    }

    /** The value of a variable set literally or from a ConfigMap, else null. */
    String value(String name) {
        return switch (variables.get(name)) {
            case Literal l -> l.value();
            case FromConfigMap c -> c.value();
            case null, default -> null;
        };
    }
}
