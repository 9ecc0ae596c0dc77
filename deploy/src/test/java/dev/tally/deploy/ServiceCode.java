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
 * {@code application.properties}, the {@code ${...}} references in their values, the
 * {@code @ConfigProperty} names in its sources (a string, or a constant such as
 * {@code MasterKey.PROPERTY}), the names it looks up itself ({@code config.getOptionalValue("...")}),
 * and, where it calls {@code KafkaConnection.settings}, every {@code kafka.*} connection setting.
 * The manifests are checked against this, not against a hand-kept list.
 */
record ServiceCode(String name, Path dir, Properties properties, Set<String> propertyNames, Set<String> envReferences) {

    static final List<String> SERVICES = List.of("command-service", "query-service", "projection-service");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:${]+)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    /** {@code @ConfigProperty(name = SomeClass.CONSTANT)}: the constant's class and name. */
    private static final Pattern CONFIG_PROPERTY_CONSTANT = Pattern.compile(
            "@ConfigProperty\\s*\\(\\s*name\\s*=\\s*([A-Z]\\w*)\\.([A-Z][A-Z0-9_]*)\\s*[,)]");
    /** A name the code looks up through MicroProfile Config itself. */
    private static final Pattern CONFIG_LOOKUP = Pattern.compile("\\.get(?:Optional)?Value\\(\\s*\"([^\"]+)\"");
    /** The code hands its configuration to KafkaConnection, which reads kafka.<setting> for each of its settings. */
    private static final Pattern KAFKA_CONNECTION = Pattern.compile("\\bKafkaConnection\\.settings\\(");
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
                String code = Files.readString(source);
                Matcher m = CONFIG_PROPERTY.matcher(code);
                while (m.find()) {
                    names.add(m.group(1));
                }
                Matcher constant = CONFIG_PROPERTY_CONSTANT.matcher(code);
                while (constant.find()) {
                    names.add(constantValue(dir, constant.group(1), constant.group(2)));
                }
                Matcher lookup = CONFIG_LOOKUP.matcher(code);
                while (lookup.find()) {
                    names.add(lookup.group(1));
                }
                if (KAFKA_CONNECTION.matcher(code).find()) {
                    dev.tally.schemas.KafkaConnection.SETTINGS.forEach(setting -> names.add("kafka." + setting));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceCode(service, dir, properties, names, env);
    }

    /**
     * The value of a {@code String} constant {@code className.constant}, from the service's sources or
     * from a module of the repository (schemas, security, ...).
     */
    private static String constantValue(Path serviceDir, String className, String constant) {
        Pattern declaration = Pattern.compile("\\bString\\s+" + constant + "\\s*=\\s*\"([^\"]+)\"\\s*;");
        try (Stream<Path> files = Stream.concat(Files.walk(serviceDir.resolve("src/main/java")),
                Files.walk(Manifests.ROOT, 1).filter(Files::isDirectory).map(module -> module.resolve("src/main/java"))
                        .filter(Files::isDirectory).flatMap(ServiceCode::walk))) {
            for (Path file : files.filter(p -> p.getFileName().toString().equals(className + ".java")).toList()) {
                Matcher m = declaration.matcher(Files.readString(file));
                if (m.find()) {
                    return m.group(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError(serviceDir.getFileName() + ": @ConfigProperty(name = " + className + "." + constant
                + "), but no String constant " + constant + " in a " + className + ".java");
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
