package dev.tally.deploy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a deserialized fabric8 or Strimzi model object and reports every field the model did not
 * know (each model class keeps those in {@code getAdditionalProperties()} instead of failing), and,
 * for Strimzi, every deprecated property that is set (it would not survive the move to Strimzi's
 * v1 API).
 */
final class ModelWalker {

    private final List<String> unknown = new ArrayList<>();
    private final List<String> deprecated = new ArrayList<>();
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    static ModelWalker walk(Object root, String path) {
        ModelWalker walker = new ModelWalker();
        walker.visit(root, path);
        return walker;
    }

    List<String> unknownFields() {
        return unknown;
    }

    List<String> deprecatedFields() {
        return deprecated;
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return !type.isEnum() && (name.startsWith("io.fabric8.kubernetes.api.model") || name.startsWith("io.strimzi.api"));
    }

    private void visit(Object value, String path) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> visit(v, path + "." + k));
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                visit(element, path + "[" + i++ + "]");
            }
            return;
        }
        if (!isModel(value.getClass()) || !seen.add(value)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            // fabric8 marks getAdditionalProperties @JsonIgnore (@JsonAnyGetter serializes it); other
            // ignored getters are computed (plural, full resource name), not fields.
            if (getter.isAnnotationPresent(JsonIgnore.class) && !name.equals("getAdditionalProperties")) {
                continue;
            }
            String property;
            if (name.startsWith("get") && name.length() > 3) {
                property = Character.toLowerCase(name.charAt(3)) + name.substring(4);
            } else if (name.startsWith("is") && name.length() > 2 && getter.getReturnType() == boolean.class) {
                property = Character.toLowerCase(name.charAt(2)) + name.substring(3);
            } else {
                continue;
            }
            Object result;
            try {
                result = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue; // a computed accessor, not a field
            }
            if (property.equals("additionalProperties")) {
                if (result instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            if (getter.isAnnotationPresent(Deprecated.class) && value.getClass().getName().startsWith("io.strimzi")
                    && result != null && !(result instanceof Collection<?> c && c.isEmpty())
                    && !(result instanceof Map<?, ?> m && m.isEmpty())) {
                deprecated.add(path + "." + property);
            }
            visit(result, path + "." + property);
        }
    }
}
