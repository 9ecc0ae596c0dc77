package dev.tally.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's own code says about its configuration: the properties in its
 * {@code application.properties}, the {@code ${...}} references in their values, and the
 * {@code @ConfigProperty} names in its sources. The manifests are checked against this, not against a
 * hand-kept list.
 */
record ServiceCode(String name, Path dir, Properties properties, Set<String> propertyNames, Set<String> envReferences) {

    static final List<String> SERVICES = List.of("command-service", "query-service", "projection-service");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:${]+)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    static ServiceCode of(String service) {
        Path dir = Manifests.ROOT.resolve(service);
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> names = new TreeSet<>();
        Set<String> env = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) { // %test.x, %dev.x: not the prod profile
                names.add(key);
                Matcher m = REFERENCE.matcher(properties.getProperty(key));
                while (m.find()) {
                    (ENV_NAME.matcher(m.group(1)).matches() ? env : names).add(m.group(1));
                }
            }
        }
        try (Stream<Path> sources = Files.walk(dir.resolve("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = CONFIG_PROPERTY.matcher(Files.readString(source));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceCode(service, dir, properties, names, env);
    }

    /** The environment variable MicroProfile Config maps to a property: non-alphanumerics to _, upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * Whether the service reads this variable: it is named in a {@code ${VAR}} reference, or it is
     * the environment form of a property the service configures or injects (Quarkus and SmallRye
     * Config look every property up under that name too, e.g. QUARKUS_HTTP_PORT, KAFKA_BOOTSTRAP_SERVERS).
     */
    boolean reads(String variable) {
        return envReferences.contains(variable) || propertyNames.stream().anyMatch(p -> envName(p).equals(variable));
    }

    boolean usesKafka() {
        return propertyNames.contains("kafka.bootstrap.servers");
    }

    /** Sends webhooks: needs egress to public addresses on 443. */
    boolean sendsWebhooks() {
        return propertyNames.contains("tally.webhooks.enabled");
    }

    boolean usesDatasource() {
        return propertyNames.contains("quarkus.datasource.jdbc.url");
    }

    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    String property(String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new AssertionError(name + " has no " + key + " in application.properties");
        }
        return value;
    }

    /** Properties whose default points at this machine: a deployment must override each. */
    Set<String> localhostDefaults() {
        Set<String> local = new LinkedHashSet<>();
        for (String key : propertyNames) {
            String value = properties.getProperty(key);
            if (value != null && value.contains("localhost") && !key.startsWith("%")) {
                local.add(key);
            }
        }
        return local;
    }

    String pom() {
        return read(dir.resolve("pom.xml"));
    }

    Path dockerfile() {
        return dir.resolve("src/main/docker/Dockerfile.jvm");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
