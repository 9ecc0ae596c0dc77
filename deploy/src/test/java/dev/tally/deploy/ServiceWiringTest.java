package dev.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Deployments against the services' code: every environment variable is one the service reads,
 * the ports and probes are the ones it serves, the secrets are ones the operators create (or the one
 * the README has you create, the master key), and the container runs as the image's user with a
 * read-only root file system.
 */
class ServiceWiringTest {

    /** Variables whose values are secret: only from a secretKeyRef, never in a ConfigMap. */
    static final String SECRET_VARIABLE = ".*(PASSWORD|JAAS|SECRET|TOKEN|CREDENTIAL|MASTER_KEY).*";

    /**
     * The secrets no operator creates: you create them before deploying, as deploy/README.md says
     * (never committed). The master key of personal data, shared by all three services.
     */
    static final Map<String, Set<String>> CREATED_BY_HAND = Map.of("tally-master-key", Set.of("master-key"));

    static Stream<Arguments> deployments() {
        return Manifests.OVERLAYS.stream().flatMap(o -> ServiceCode.SERVICES.stream().map(s -> Arguments.of(o, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void everyEnvironmentVariableIsOneTheServiceReads(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        ServiceCode code = ServiceCode.of(service);
        Env env = Env.of(m, m.one("Deployment", service));
        List<String> unread = new ArrayList<>();
        for (String variable : env.variables().keySet()) {
            if (!code.reads(variable)) {
                unread.add(variable);
            }
        }
        assertTrue(unread.isEmpty(), overlay + ": " + service + " does not read " + unread
                + " (not in its application.properties, no ${...} reference, no @ConfigProperty)");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void everyLocalDefaultIsOverridden(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        ServiceCode code = ServiceCode.of(service);
        Env env = Env.of(m, m.one("Deployment", service));
        for (String property : code.localhostDefaults()) {
            assertTrue(env.variables().containsKey(ServiceCode.envName(property)), overlay + ": " + service + "'s "
                    + property + " defaults to localhost; set " + ServiceCode.envName(property));
        }
        if (code.usesDatasource()) {
            for (String property : List.of("quarkus.datasource.username", "quarkus.datasource.password")) {
                assertInstanceOf(Env.FromSecret.class, env.variables().get(ServiceCode.envName(property)),
                        overlay + ": " + service + " must take " + ServiceCode.envName(property) + " from a secret");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void secretsAreReferencedNeverWritten(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        Env env = Env.of(m, m.one("Deployment", service));
        Map<String, Set<String>> created = operatorSecrets(m);
        env.variables().forEach((name, source) -> {
            if (name.matches(SECRET_VARIABLE)) {
                assertInstanceOf(Env.FromSecret.class, source, overlay + ": " + service + " " + name + " must come from a secret");
            }
            if (source instanceof Env.FromSecret secret) {
                assertTrue(created.containsKey(secret.secret()), overlay + ": " + service + " reads secret "
                        + secret.secret() + ", which no operator in this overlay creates and deploy/README.md does not"
                        + " have you create (known: " + created.keySet() + ")");
                assertTrue(created.get(secret.secret()).contains(secret.key()), overlay + ": secret " + secret.secret()
                        + " has no key " + secret.key() + " (it has " + created.get(secret.secret()) + ")");
            }
        });
        for (JsonNode volume : Manifests.podSpec(m.one("Deployment", service)).path("volumes")) {
            if (volume.has("secret")) {
                String secret = volume.path("secret").path("secretName").asText();
                assertTrue(created.containsKey(secret), overlay + ": volume from unknown secret " + secret);
                volume.path("secret").path("items").forEach(item -> assertTrue(created.get(secret).contains(item.path("key").asText()),
                        overlay + ": secret " + secret + " has no key " + item.path("key").asText()));
            }
        }
        for (JsonNode configMap : m.ofKind("ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(key -> assertFalse(
                    key.matches(SECRET_VARIABLE),
                    Manifests.where(m, configMap) + ": " + key + " belongs in a secret"));
        }
    }

    /** The secrets the operators in this rendering create, and those created by hand, with their keys. */
    static Map<String, Set<String>> operatorSecrets(Manifests m) {
        Map<String, Set<String>> secrets = new java.util.HashMap<>(CREATED_BY_HAND);
        for (JsonNode cluster : m.ofKind("Cluster")) {
            secrets.put(Manifests.name(cluster) + "-app", Set.of("username", "password", "host", "port", "dbname", "uri",
                    "jdbc-uri", "pgpass", "fqdn-uri", "fqdn-jdbc-uri", "user"));
        }
        for (JsonNode kafka : m.ofKind("Kafka")) {
            secrets.put(Manifests.name(kafka) + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        }
        for (JsonNode user : m.ofKind("KafkaUser")) {
            String type = user.path("spec").path("authentication").path("type").asText();
            secrets.put(Manifests.name(user), type.equals("scram-sha-512") ? Set.of("password", "sasl.jaas.config")
                    : Set.of("ca.crt", "user.crt", "user.key", "user.p12", "user.password"));
        }
        return secrets;
    }

    /** Every secret created by hand is one deploy/README.md tells you how to create, with its keys. */
    @org.junit.jupiter.api.Test
    void secretsCreatedByHandAreDocumented() {
        String readme = ServiceCode.read(Manifests.DEPLOY.resolve("README.md"));
        CREATED_BY_HAND.forEach((secret, keys) -> {
            assertTrue(readme.contains("create secret generic " + secret), "deploy/README.md: how to create " + secret);
            keys.forEach(key -> assertTrue(readme.contains("--from-literal=" + key + "=")
                    || readme.contains("--from-file=" + key + "="), "deploy/README.md: " + secret + "'s key " + key));
        });
    }

    /**
     * The master key of personal data has no default: a service that reads it gets it from the one
     * shared secret (keys wrapped by one service must unwrap in the others).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void theMasterKeyComesFromTheSharedSecret(String overlay, String service) {
        if (!ServiceCode.of(service).reads("TALLY_MASTER_KEY")) {
            return;
        }
        Manifests m = Manifests.of(overlay);
        Env env = Env.of(m, m.one("Deployment", service));
        assertEquals(new Env.FromSecret("tally-master-key", "master-key"), env.variables().get("TALLY_MASTER_KEY"),
                overlay + ": " + service + " reads the master key (tally.master-key); set TALLY_MASTER_KEY from the secret"
                        + " tally-master-key, key master-key");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void portsAndProbesAreTheServices(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        ServiceCode code = ServiceCode.of(service);
        JsonNode deployment = m.one("Deployment", service);
        JsonNode container = Manifests.container(deployment);
        int port = code.httpPort();

        assertEquals(1, container.path("ports").size(), service + ": one port");
        JsonNode containerPort = container.path("ports").get(0);
        assertEquals(port, containerPort.path("containerPort").asInt(), overlay + ": " + service + " containerPort vs quarkus.http.port");
        assertEquals(String.valueOf(port), Env.of(m, deployment).value("QUARKUS_HTTP_PORT"), overlay + ": " + service + " QUARKUS_HTTP_PORT");

        assertTrue(code.pom().contains("<artifactId>quarkus-smallrye-health</artifactId>"), service + " serves no /q/health");
        for (String key : List.of("quarkus.http.root-path", "quarkus.http.non-application-root-path", "quarkus.smallrye-health.root-path")) {
            assertFalse(code.properties().containsKey(key), service + " moves its health endpoints (" + key + ")");
        }
        Map<String, String> probes = Map.of("startupProbe", "/q/health/live", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        probes.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals(path, get.path("path").asText(), overlay + ": " + service + " " + probe);
            assertEquals(port, resolvePort(container, get.path("port")), overlay + ": " + service + " " + probe + " port");
        });

        JsonNode svc = m.one("Service", service);
        assertTrue(Manifests.selects(wrap(svc.path("spec").path("selector")),
                deployment.path("spec").path("template").path("metadata").path("labels")), service + ": Service selects no pod");
        assertEquals(1, svc.path("spec").path("ports").size());
        assertEquals(port, resolvePort(container, svc.path("spec").path("ports").get(0).path("targetPort")), service + " Service targetPort");
        assertTrue(Manifests.selects(deployment.path("spec").path("selector"),
                deployment.path("spec").path("template").path("metadata").path("labels")), service + ": selector vs pod labels");
    }

    private static JsonNode wrap(JsonNode labels) {
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        node.set("matchLabels", labels.deepCopy());
        return node;
    }

    static int resolvePort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("port " + port + " is not a named port of " + container.path("name").asText());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void runsAsTheImageUserWithAReadOnlyRootFileSystem(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        JsonNode deployment = m.one("Deployment", service);
        JsonNode pod = Manifests.podSpec(deployment);
        JsonNode container = Manifests.container(deployment);
        String where = overlay + ": " + service;

        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), where + " runAsNonRoot");
        assertEquals(dockerfileUser(service), pod.path("securityContext").path("runAsUser").asInt(), where + " runAsUser vs Dockerfile USER");
        assertEquals("RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asText(), where);
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), where + " needs no API token");
        assertFalse(pod.path("enableServiceLinks").asBoolean(true), where + ": service links would add variables nobody reads");
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), where + " readOnlyRootFilesystem");
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), where + " allowPrivilegeEscalation");
        assertEquals("ALL", security.path("capabilities").path("drop").path(0).asText(), where + " drops capabilities");
        assertTrue(pod.path("terminationGracePeriodSeconds").asInt() >= 30, where + " terminationGracePeriodSeconds");
        assertTrue(container.path("lifecycle").path("preStop").has("exec"), where + " preStop delay");

        assertTrue(writableMounts(pod, container).contains("/tmp"), where + ": /tmp must be a writable emptyDir");
        Env env = Env.of(m, deployment);
        String stateDir = env.value("TALLY_STREAMS_STATE_DIR");
        if (ServiceCode.of(service).envReferences().contains("TALLY_STREAMS_STATE_DIR")) {
            assertNotNull(stateDir, where + " sets no TALLY_STREAMS_STATE_DIR");
            assertTrue(writableMounts(pod, container).contains(stateDir), where + ": the Streams state dir " + stateDir
                    + " is not a writable emptyDir mount");
        }
        for (String resource : List.of("cpu", "memory")) {
            JsonNode requests = container.path("resources").path("requests");
            JsonNode limits = container.path("resources").path("limits");
            assertTrue(requests.has(resource) && limits.has(resource), where + " requests and limits " + resource);
            assertTrue(Quantity.getAmountInBytes(new Quantity(requests.get(resource).asText()))
                            .compareTo(Quantity.getAmountInBytes(new Quantity(limits.get(resource).asText()))) <= 0,
                    where + ": " + resource + " request above limit");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void projectionInstanceIdIsThePodName(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        if (!ServiceCode.of(service).envReferences().contains("TALLY_PROJECTION_INSTANCE_ID")) {
            return;
        }
        Env env = Env.of(m, m.one("Deployment", service));
        assertEquals(new Env.FromField("metadata.name"), env.variables().get("TALLY_PROJECTION_INSTANCE_ID"),
                overlay + ": static membership needs a stable id per pod: the pod name");
    }

    /** Mount paths backed by an emptyDir and not read-only. */
    static Set<String> writableMounts(JsonNode pod, JsonNode container) {
        Set<String> emptyDirs = new java.util.HashSet<>();
        pod.path("volumes").forEach(v -> {
            if (v.has("emptyDir")) {
                emptyDirs.add(v.path("name").asText());
            }
        });
        Set<String> mounts = new java.util.HashSet<>();
        container.path("volumeMounts").forEach(mount -> {
            if (emptyDirs.contains(mount.path("name").asText()) && !mount.path("readOnly").asBoolean(false)) {
                mounts.add(mount.path("mountPath").asText());
            }
        });
        return mounts;
    }

    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\d+)\\s*$");

    static int dockerfileUser(String service) {
        Matcher m = USER.matcher(ServiceCode.read(ServiceCode.of(service).dockerfile()));
        int user = -1;
        while (m.find()) {
            user = Integer.parseInt(m.group(1));
        }
        return user;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void imageIsTheServicesPinnedImage(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        String image = Manifests.container(m.one("Deployment", service)).path("image").asText();
        String name = imageName(image);
        assertTrue(name.equals("tally/" + service) || name.endsWith("/tally/" + service), overlay + ": " + service + " runs " + image);
        assertTrue(image.contains("@sha256:") || image.matches(".*:[A-Za-z0-9._-]+$") && !image.endsWith(":latest"),
                overlay + ": " + service + " image " + image + " is not pinned to a tag or digest");
    }

    /** The image without its tag or digest: a registry port's colon is not a tag's. */
    private static String imageName(String image) {
        int at = image.indexOf('@');
        String withoutDigest = at >= 0 ? image.substring(0, at) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    /**
     * The heap is a share of the container's limit (the image's {@code JAVA_MAX_MEM_RATIO}); what is
     * left must hold the JVM's own memory and, in the command service, RocksDB's fixed budget, or the
     * container is killed before the heap is full. 384 MiB is above what {@code ./run bench} measured
     * for all of that (RSS under 400 MB with a 256 MB heap, the heap never full).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void theHeapLeavesRoomForTheRestOfTheProcess(String overlay, String service) {
        JsonNode container = Manifests.container(Manifests.of(overlay).one("Deployment", service));
        java.math.BigDecimal limit = Quantity.getAmountInBytes(new Quantity(
                container.path("resources").path("limits").path("memory").asText()));
        java.util.regex.Matcher ratio = java.util.regex.Pattern.compile("(?m)^ENV JAVA_MAX_MEM_RATIO=(\\d+)\\s*$")
                .matcher(ServiceCode.read(ServiceCode.of(service).dockerfile()));
        assertTrue(ratio.find(), service + ": the Dockerfile sets JAVA_MAX_MEM_RATIO");
        java.math.BigDecimal heap = limit.multiply(java.math.BigDecimal.valueOf(Long.parseLong(ratio.group(1))))
                .divide(java.math.BigDecimal.valueOf(100));
        java.math.BigDecimal rest = limit.subtract(heap);
        assertTrue(rest.compareTo(java.math.BigDecimal.valueOf(384L * 1024 * 1024)) >= 0,
                overlay + ": " + service + " leaves " + rest.longValue() / (1024 * 1024) + " MiB beside its heap");
    }

    static Stream<String> services() {
        return ServiceCode.SERVICES.stream();
    }

    /** Quarkus's src/main/docker convention: fast-jar layout, UBI OpenJDK 21 runtime, user 185, the service's port. */
    @ParameterizedTest
    @MethodSource("services")
    void dockerfileFollowsQuarkusConvention(String service) {
        ServiceCode code = ServiceCode.of(service);
        assertTrue(Files.isRegularFile(code.dockerfile()), "missing " + code.dockerfile());
        String dockerfile = ServiceCode.read(code.dockerfile());
        assertTrue(dockerfile.matches("(?sm).*^FROM registry\\.access\\.redhat\\.com/ubi9/openjdk-21-runtime:[0-9.]+\\s*$.*"),
                service + ": FROM a pinned UBI 9 OpenJDK 21 runtime image");
        for (String dir : List.of("lib/", "app/", "quarkus/")) {
            assertTrue(dockerfile.contains("COPY --chown=185 target/quarkus-app/" + dir + " /deployments/" + dir),
                    service + ": copies target/quarkus-app/" + dir);
        }
        assertTrue(dockerfile.contains("COPY --chown=185 target/quarkus-app/*.jar /deployments/"), service + ": copies quarkus-run.jar");
        assertTrue(dockerfile.matches("(?sm).*^EXPOSE " + code.httpPort() + "\\s*$.*"), service + ": EXPOSE " + code.httpPort());
        assertEquals(185, dockerfileUser(service), service + ": USER 185");
        assertTrue(dockerfile.contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\""), service);
        assertTrue(dockerfile.contains("ENTRYPOINT [ \"/opt/jboss/container/java/run/run-java.sh\" ]"), service);
        String packaging = code.properties().getProperty("quarkus.package.jar.type", "fast-jar");
        assertEquals("fast-jar", packaging, service + " packages " + packaging + ", not the fast-jar the Dockerfile copies");
    }
}
