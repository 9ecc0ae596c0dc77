package dev.tally.system;

import dev.tally.stack.StartupFailedException;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Where the system tests' Kafka and PostgreSQL come from: {@code -Dtally.infra} (or {@code TALLY_INFRA})
 * is {@code embedded} (the default: the local stack's own, no Docker), {@code containers} (Docker
 * images through Testcontainers) or {@code auto} (containers when a Docker engine answers, embedded
 * otherwise). The three services run as processes of this machine either way.
 */
enum InfrastructureKind {
    EMBEDDED,
    CONTAINERS;

    static final String PROPERTY = "tally.infra";
    static final String VARIABLE = "TALLY_INFRA";

    /** The property wins over the variable; Docker is asked only when the choice depends on it. */
    static InfrastructureKind select(String property, String variable, BooleanSupplier dockerAvailable) {
        String requested = firstNonBlank(property, variable, "embedded").trim().toLowerCase(Locale.ROOT);
        return switch (requested) {
            case "embedded" -> EMBEDDED;
            case "auto" -> dockerAvailable.getAsBoolean() ? CONTAINERS : EMBEDDED;
            case "containers" -> {
                if (!dockerAvailable.getAsBoolean()) {
                    throw new StartupFailedException(PROPERTY + "=containers needs a Docker engine and Testcontainers found none;"
                            + " start one (or set DOCKER_HOST), or use " + PROPERTY + "=embedded or auto");
                }
                yield CONTAINERS;
            }
            default -> throw new IllegalArgumentException(PROPERTY + " (or " + VARIABLE + ") must be embedded, containers or auto, got '"
                    + firstNonBlank(property, variable, "") + "'");
        };
    }

    /** This JVM's choice: {@code -Dtally.infra}, else {@code TALLY_INFRA}, else embedded. */
    static InfrastructureKind fromEnvironment() {
        return select(System.getProperty(PROPERTY), System.getenv(VARIABLE), ContainerInfrastructure::dockerAvailable);
    }

    private static String firstNonBlank(String first, String second, String otherwise) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        if (second != null && !second.isBlank()) {
            return second;
        }
        return otherwise;
    }
}
