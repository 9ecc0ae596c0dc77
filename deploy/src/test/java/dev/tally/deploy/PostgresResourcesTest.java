package dev.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The CloudNativePG cluster against the services that use it. */
class PostgresResourcesTest {

    static final List<String> OVERLAYS = Manifests.OVERLAYS;

    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([a-z0-9.-]+):(\\d+)/([a-z0-9_]+)");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void servicesConnectToTheClustersDatabase(String overlay) {
        Manifests m = Manifests.of(overlay);
        JsonNode cluster = m.only("Cluster");
        String name = Manifests.name(cluster);
        JsonNode initdb = cluster.path("spec").path("bootstrap").path("initdb");
        assertEquals("tally", initdb.path("database").asText(), overlay + ": database");
        assertEquals("tally", initdb.path("owner").asText(), overlay + ": owner (the projection service migrates the schema as it)");
        assertFalse(cluster.path("spec").path("enableSuperuserAccess").asBoolean(false), overlay + ": no superuser secret");
        for (String service : ServiceCode.SERVICES) {
            ServiceCode code = ServiceCode.of(service);
            Env env = Env.of(m, m.one("Deployment", service));
            if (!code.usesDatasource()) {
                assertFalse(env.variables().keySet().stream().anyMatch(v -> v.startsWith("QUARKUS_DATASOURCE")), overlay + ": " + service);
                continue;
            }
            String url = env.value("QUARKUS_DATASOURCE_JDBC_URL");
            Matcher jdbc = JDBC.matcher(url == null ? "" : url);
            assertTrue(jdbc.matches(), overlay + ": " + service + " JDBC URL " + url);
            assertTrue(List.of(name + "-rw", name + "-r", name + "-ro").contains(jdbc.group(1).split("\\.")[0]),
                    overlay + ": " + service + " connects to " + jdbc.group(1) + ", not a service of Cluster " + name);
            assertEquals("5432", jdbc.group(2), overlay + ": " + service);
            assertEquals(initdb.path("database").asText(), jdbc.group(3), overlay + ": " + service + " database");
            for (String key : List.of("USERNAME", "PASSWORD")) {
                assertEquals(new Env.FromSecret(name + "-app", key.toLowerCase()), env.variables().get("QUARKUS_DATASOURCE_" + key),
                        overlay + ": " + service + " logs in as the database owner from CloudNativePG's app secret");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void connectionsFitMaxConnections(String overlay) {
        Manifests m = Manifests.of(overlay);
        int maxConnections = Integer.parseInt(m.only("Cluster").path("spec").path("postgresql").path("parameters")
                .path("max_connections").asText("100"));
        int needed = 0;
        StringBuilder sum = new StringBuilder();
        for (String service : ServiceCode.SERVICES) {
            ServiceCode code = ServiceCode.of(service);
            if (!code.usesDatasource()) {
                continue;
            }
            int pool = Integer.parseInt(code.property("quarkus.datasource.jdbc.max-size"));
            int replicas = ScalingTest.maxReplicas(m, service) + 1; // a rolling update surges one pod
            needed += pool * replicas;
            sum.append(' ').append(service).append(' ').append(replicas).append('x').append(pool);
        }
        // superuser_reserved_connections (3), CloudNativePG's own and replication connections.
        assertTrue(needed + 10 <= maxConnections, overlay + ": " + needed + " connections (" + sum.toString().trim()
                + ") + 10 reserved exceed max_connections " + maxConnections);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void sizedForTheOverlay(String overlay) {
        Manifests m = Manifests.of(overlay);
        JsonNode spec = m.only("Cluster").path("spec");
        if (m.isProd()) {
            assertEquals(3, spec.path("instances").asInt(), "prod: a primary and two standbys");
            assertEquals("required", spec.path("affinity").path("podAntiAffinityType").asText(), "prod: instances on separate nodes");
        } else {
            assertEquals(1, spec.path("instances").asInt(), overlay);
        }
    }

    /** The same PostgreSQL major version as the local stack and the tests run. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void sameMajorVersionAsTheLocalStack(String overlay) {
        String pom = ServiceCode.read(Manifests.ROOT.resolve("pom.xml"));
        Matcher local = Pattern.compile("<postgres-binaries.version>(\\d+)\\.").matcher(pom);
        assertTrue(local.find(), "postgres-binaries.version in the parent pom");
        String image = Manifests.of(overlay).only("Cluster").path("spec").path("imageName").asText();
        assertTrue(image.matches(".*/postgresql:" + local.group(1) + "\\.\\d+.*"), overlay + ": " + image + " vs local PostgreSQL " + local.group(1));
    }
}
