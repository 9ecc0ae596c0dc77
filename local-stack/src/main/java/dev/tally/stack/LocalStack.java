package dev.tally.stack;

import dev.tally.stack.auth.LocalKeys;
import dev.tally.stack.auth.LocalTokens;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The whole local system: PostgreSQL, a Kafka broker, the ledger's topics and the three services,
 * each in its own process, with data under {@link StackSettings#dataDir()}.
 *
 * <p>Layout of the data directory: {@code kafka/}, {@code postgres/}, {@code logs/<part>.log},
 * {@code pids/} and {@code command-service/streams} (the write model's state store).
 *
 * <p>Kafka and PostgreSQL are embedded (started here, as processes of this machine) unless the stack
 * is started on an {@link Infrastructure} (containers, say): then it only creates the topics there
 * and points the services at it, and what needs the embedded broker ({@link #killKafka},
 * {@link #kafka}) refuses with a sentence saying so.
 *
 * <p>A stack registers a JVM shutdown hook, so that Ctrl-C, SIGTERM or a test JVM that exits
 * without closing it still stops every child. Closing is idempotent and safe from any thread,
 * also while the stack is still starting.
 */
public final class LocalStack implements AutoCloseable {

    public static final String COMMAND_SERVICE = "command-service";
    public static final String PROJECTION_SERVICE = "projection-service";
    public static final String QUERY_SERVICE = "query-service";
    public static final List<String> SERVICES = List.of(COMMAND_SERVICE, PROJECTION_SERVICE, QUERY_SERVICE);

    private static final String KAFKA = "kafka";
    private static final Duration KAFKA_READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(120);

    private final StackSettings settings;
    private final Consumer<String> progress;
    // Empty: the embedded broker and database.
    private final Optional<Infrastructure.Starter> infrastructureStarter;
    private final PidFiles pids;
    /** The further instances {@link #startInstance} started, stopped with the stack. */
    private final List<ServiceProcess> instances = new ArrayList<>();
    private final Thread shutdownHook;

    private final Object lock = new Object();
    // All five guarded by lock: the shutdown hook may close the stack while another thread starts it.
    private KafkaBroker kafka;
    private LocalPostgres postgres;
    private Infrastructure infrastructure;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private boolean closed;
    // Also guarded by lock; kept so that a restart gets the same extra settings as the first start.
    private final Map<String, Map<String, String>> extraServiceEnv = new HashMap<>();

    private LocalStack(StackSettings settings, Consumer<String> progress, Optional<Infrastructure.Starter> infrastructureStarter) {
        this.settings = settings;
        this.progress = progress;
        this.infrastructureStarter = infrastructureStarter;
        this.pids = new PidFiles(settings.dataDir());
        pids.claim();
        this.shutdownHook = new Thread(this::close, "tally-local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts everything and returns once all three services report ready. */
    public static LocalStack start(StackSettings settings) {
        return start(settings, line -> { });
    }

    /** Like {@link #start(StackSettings)}, reporting each step ("PostgreSQL ready in 2.1 s") to {@code progress}. */
    public static LocalStack start(StackSettings settings, Consumer<String> progress) {
        return start(settings, progress, Map.of());
    }

    /**
     * Like {@link #start(StackSettings, Consumer)}, with extra environment variables for every
     * service (kept for restarts), e.g. where to send traces.
     */
    public static LocalStack start(StackSettings settings, Consumer<String> progress, Map<String, String> serviceEnv) {
        return start(settings, progress, serviceEnv, Optional.empty());
    }

    /**
     * Like {@link #start(StackSettings, Consumer, Map)}, with Kafka and PostgreSQL from
     * {@code infrastructure} instead of embedded ones; the services still run here as processes.
     */
    public static LocalStack start(StackSettings settings, Consumer<String> progress, Map<String, String> serviceEnv,
                                   Infrastructure.Starter infrastructure) {
        return start(settings, progress, serviceEnv, Optional.of(Objects.requireNonNull(infrastructure, "infrastructure")));
    }

    private static LocalStack start(StackSettings settings, Consumer<String> progress, Map<String, String> serviceEnv,
                                    Optional<Infrastructure.Starter> infrastructure) {
        // Before anything runs: a missing jar found after Kafka's start would only waste the developer's time.
        for (String name : SERVICES) {
            if (!jar(settings, name).toFile().isFile()) {
                throw new StartupFailedException(name + " is not built: " + jar(settings, name) + " is missing (run ./mvnw install -DskipTests)");
            }
        }
        LocalStack stack = startInfrastructureOnly(settings, progress, infrastructure);
        synchronized (stack.lock) {
            SERVICES.forEach(name -> stack.extraServiceEnv.put(name, Map.copyOf(serviceEnv)));
        }
        try {
            // The projection service owns the read schema (Flyway) and the query service validates
            // it at start-up, so the query service starts only once the schema is there.
            stack.startServices(List.of(PROJECTION_SERVICE));
            stack.startServices(List.of(COMMAND_SERVICE, QUERY_SERVICE));
            return stack;
        } catch (RuntimeException | Error e) {
            throw stack.closeAfterFailedStart(e);
        }
    }

    /** PostgreSQL, Kafka and the topics, no services; start those with {@link #startService}. */
    public static LocalStack startInfrastructureOnly(StackSettings settings) {
        return startInfrastructureOnly(settings, line -> { });
    }

    public static LocalStack startInfrastructureOnly(StackSettings settings, Consumer<String> progress) {
        return startInfrastructureOnly(settings, progress, Optional.empty());
    }

    /** The topics on {@code infrastructure}, no services; start those with {@link #startService}. */
    public static LocalStack startInfrastructureOnly(StackSettings settings, Consumer<String> progress, Infrastructure.Starter infrastructure) {
        return startInfrastructureOnly(settings, progress, Optional.of(Objects.requireNonNull(infrastructure, "infrastructure")));
    }

    private static LocalStack startInfrastructureOnly(StackSettings settings, Consumer<String> progress,
                                                      Optional<Infrastructure.Starter> infrastructure) {
        LocalStack stack = new LocalStack(settings, progress, infrastructure);
        try {
            stack.startInfrastructure();
            return stack;
        } catch (RuntimeException | Error e) {
            throw stack.closeAfterFailedStart(e);
        }
    }

    /**
     * Stops processes that an earlier run on {@code dataDir} left behind (its launcher was killed).
     * Fails if that earlier run is still alive: its children are not leftovers. Returns what it stopped.
     */
    public static List<String> stopLeftovers(Path dataDir) {
        PidFiles pidFiles = new PidFiles(dataDir);
        pidFiles.requireNoOtherOwner();
        List<String> stopped = new ArrayList<>(pidFiles.stopLeftovers());
        LocalPostgres.stopOrphan(dataDir.resolve("postgres")).ifPresent(pid -> stopped.add("PostgreSQL (pid " + pid + ")"));
        return stopped;
    }

    /** Starts one service (again) and waits until it is ready; its environment is the stack's. */
    public void startService(String name) {
        Map<String, String> extraEnv;
        synchronized (lock) {
            extraEnv = extraServiceEnv.getOrDefault(name, Map.of());
        }
        startService(name, extraEnv);
    }

    /** Starts one service with additional environment variables (e.g. a lower commit interval); kept for restarts. */
    public void startService(String name, Map<String, String> extraEnv) {
        requireService(name);
        synchronized (lock) {
            // Added to what the service had, so that the stack-wide extras (tracing) stay.
            Map<String, String> merged = new LinkedHashMap<>(extraServiceEnv.getOrDefault(name, Map.of()));
            merged.putAll(extraEnv);
            extraServiceEnv.put(name, Map.copyOf(merged));
        }
        startServices(List.of(name));
    }

    /** SIGTERM, as an orchestrator would send before rescheduling the pod. */
    public void stopService(String name) {
        removeService(name).ifPresent(ServiceProcess::close);
        pids.forget(name);
    }

    /** SIGKILL: the service gets no chance to commit, flush or say goodbye. */
    public void killService(String name) {
        removeService(name).ifPresent(ServiceProcess::kill);
        pids.forget(name);
    }

    public void restartService(String name) {
        stopService(name);
        startService(name);
    }

    /**
     * Another process of a service beside the running one, as a second {@code ./run} or the new pod
     * of a rolling update would be: the stack's environment, its own port and {@code extraEnv} (say,
     * its own TALLY_PROJECTION_INSTANCE_ID). Not waited for (it may own no partition, so never be
     * ready) and not tracked by the stack: the caller stops it.
     */
    /**
     * {@link #startExtraInstance}, recorded in the pid files as {@code <service>-<port>}: if the
     * launcher is killed, the next start stops it with the rest ({@code ./run --instances}). Stop it
     * with {@link #stopInstance}.
     */
    public ServiceProcess startInstance(String name, int port, Map<String, String> extraEnv) {
        ServiceProcess process = startExtraInstance(name, port, extraEnv);
        pids.record(name + "-" + port, process.handle());
        synchronized (lock) {
            instances.add(process);
        }
        return process;
    }

    /**
     * Stops an instance {@link #startInstance} started (SIGTERM, then SIGKILL) and forgets its pid
     * file; {@link #close()} stops those still running, before the stack's own services.
     */
    public void stopInstance(ServiceProcess process) {
        synchronized (lock) {
            instances.remove(process);
        }
        process.close();
        pids.forget(process.name() + "-" + process.port());
    }

    public ServiceProcess startExtraInstance(String name, int port, Map<String, String> extraEnv) {
        requireService(name);
        Map<String, String> env = new LinkedHashMap<>(serviceEnv(name));
        env.putAll(extraEnv);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return ServiceProcess.start(name, jar(settings, name), env, port, logFile(name + "-" + port));
    }

    /**
     * SIGKILL the broker: no flush, no controlled shutdown, its open transactions left for the
     * coordinator to time out. The services keep running and must ride it out.
     */
    public void killKafka() {
        requireEmbedded("killKafka");
        KafkaBroker broker;
        synchronized (lock) {
            broker = kafka;
            kafka = null;
        }
        if (broker != null) {
            broker.kill();
        }
        pids.forget(KAFKA);
    }

    /**
     * Starts the broker again on the same ports and data directory (it recovers its log as after a
     * power cut) and returns once it answers; the services reconnect by themselves.
     */
    public void startKafka() {
        requireEmbedded("startKafka");
        synchronized (lock) {
            if (kafka != null) {
                throw new IllegalStateException("Kafka is already running; kill it first");
            }
        }
        long started = System.nanoTime();
        KafkaBroker broker = KafkaBroker.launch(settings.dataDir().resolve(KAFKA), settings.kafkaPort(),
                settings.kafkaControllerPort(), logFile(KAFKA));
        adopt(broker, () -> kafka = broker);
        pids.record(KAFKA, broker.handle());
        broker.awaitReady(KAFKA_READY_TIMEOUT);
        progress.accept("Kafka ready again in " + Elapsed.since(started));
        reportUnexpectedExit(broker.onExit(), "Kafka", () -> kafka == broker, broker.logFile());
    }

    /** The running process of a service, if it runs. */
    public Optional<ServiceProcess> service(String name) {
        synchronized (lock) {
            return Optional.ofNullable(services.get(name));
        }
    }

    public StackSettings settings() {
        return settings;
    }

    public String commandUrl() {
        return url(settings.commandPort());
    }

    public String queryUrl() {
        return url(settings.queryPort());
    }

    public String projectionUrl() {
        return url(settings.projectionPort());
    }

    public String bootstrapServers() {
        return infrastructure().map(Infrastructure::bootstrapServers).orElseGet(() -> kafka().bootstrapServers());
    }

    public String jdbcUrl() {
        return infrastructure().map(Infrastructure::jdbcUrl).orElseGet(() -> postgres().jdbcUrl());
    }

    public String postgresUser() {
        return infrastructure().map(Infrastructure::postgresUser).orElseGet(() -> postgres().username());
    }

    public String postgresPassword() {
        return infrastructure().map(Infrastructure::postgresPassword).orElseGet(() -> postgres().password());
    }

    /** The infrastructure the stack was started on; empty for the embedded broker and database. */
    public Optional<Infrastructure> infrastructure() {
        synchronized (lock) {
            return Optional.ofNullable(infrastructure);
        }
    }

    /** The key pair that signs this stack's tokens (made on first use, kept in the data directory). */
    public LocalKeys keys() {
        return LocalKeys.ensure(settings.dataDir());
    }

    /** Mints tokens the services accept. */
    public LocalTokens tokens() {
        return new LocalTokens(keys());
    }

    public KafkaBroker kafka() {
        requireEmbedded("kafka()");
        synchronized (lock) {
            if (kafka == null) {
                throw new IllegalStateException("Kafka is not running");
            }
            return kafka;
        }
    }

    public LocalPostgres postgres() {
        requireEmbedded("postgres()");
        synchronized (lock) {
            if (postgres == null) {
                throw new IllegalStateException("PostgreSQL is not running");
            }
            return postgres;
        }
    }

    public Path logFile(String part) {
        return settings.dataDir().resolve("logs").resolve(part + ".log");
    }

    /** Stops the services, then Kafka, then PostgreSQL: each only after what depends on it is gone. */
    @Override
    public void close() {
        KafkaBroker broker;
        LocalPostgres database;
        Infrastructure external;
        List<ServiceProcess> running;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            broker = kafka;
            database = postgres;
            external = infrastructure;
            running = new ArrayList<>(instances);
            running.addAll(services.values());
            instances.clear();
            services.clear();
        }
        boolean anything = broker != null || database != null || external != null || !running.isEmpty();
        if (anything) {
            progress.accept("stopping…");
        }
        long started = System.nanoTime();
        // In parallel: each service may take seconds to shut down gracefully, and they do not depend on each other.
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ServiceProcess service : running) {
                stoppers.submit(() -> {
                    stopQuietly(service.name(), service);
                    pids.forget(service.name());
                    pids.forget(service.name() + "-" + service.port());
                });
            }
        }
        stopQuietly(KAFKA, broker);
        pids.forget(KAFKA);
        stopQuietly("PostgreSQL", database);
        stopQuietly("the infrastructure", external);
        pids.releaseOwnership();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // we are running in that hook (or beside it): nothing to remove
        }
        if (anything) {
            progress.accept("stopped in " + Elapsed.since(started));
        }
    }

    /**
     * When Ctrl-C (or another thread) closed the stack mid-start, the children die and whatever was
     * being awaited fails with their exit code and log; that failure is a consequence, not a cause,
     * so the caller gets one plain sentence instead.
     */
    private RuntimeException closeAfterFailedStart(Throwable failure) {
        boolean stoppedFromOutside;
        synchronized (lock) {
            stoppedFromOutside = closed;
        }
        close();
        if (stoppedFromOutside) {
            return new StartupFailedException("the stack was stopped while it was starting", failure);
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return (RuntimeException) failure;
    }

    private void startInfrastructure() {
        for (String leftover : stopLeftovers(settings.dataDir())) {
            progress.accept("stopped " + leftover + ", left over from an earlier run");
        }
        if (infrastructureStarter.isPresent()) {
            startExternalInfrastructure(infrastructureStarter.get());
            return;
        }
        Path dataDir = settings.dataDir();

        // Kafka's JVM boots while PostgreSQL starts: the two do not depend on each other.
        progress.accept("starting Kafka (KRaft) on 127.0.0.1:" + settings.kafkaPort() + " …");
        long kafkaStarted = System.nanoTime();
        KafkaBroker broker = KafkaBroker.launch(dataDir.resolve(KAFKA), settings.kafkaPort(), settings.kafkaControllerPort(), logFile(KAFKA));
        adopt(broker, () -> kafka = broker);
        pids.record(KAFKA, broker.handle());

        progress.accept("starting PostgreSQL on 127.0.0.1:" + settings.postgresPort() + " …");
        long postgresStarted = System.nanoTime();
        LocalPostgres database = LocalPostgres.start(dataDir.resolve("postgres"), settings.postgresPort(), logFile("postgres"));
        adopt(database, () -> postgres = database);
        progress.accept("PostgreSQL ready in " + Elapsed.since(postgresStarted) + " (" + database.jdbcUrl() + ")");

        broker.awaitReady(KAFKA_READY_TIMEOUT);
        progress.accept("Kafka ready in " + Elapsed.since(kafkaStarted) + " (" + broker.bootstrapServers() + ")");
        reportUnexpectedExit(broker.onExit(), "Kafka", () -> kafka == broker, broker.logFile());

        long topicsStarted = System.nanoTime();
        TopicCreator.createAll(broker.bootstrapServers());
        progress.accept("topics ready in " + Elapsed.since(topicsStarted));
    }

    private void startExternalInfrastructure(Infrastructure.Starter starter) {
        long started = System.nanoTime();
        Infrastructure external = starter.start(settings, progress);
        adopt(external, () -> infrastructure = external);
        progress.accept("infrastructure ready in " + Elapsed.since(started) + " (" + external.description() + ")");
        // The services never create topics, wherever the broker runs.
        long topicsStarted = System.nanoTime();
        TopicCreator.createAll(external.bootstrapServers());
        progress.accept("topics ready in " + Elapsed.since(topicsStarted));
    }

    private void requireEmbedded(String what) {
        if (infrastructureStarter.isPresent()) {
            String where = infrastructure().map(Infrastructure::description).orElse("an infrastructure of its own");
            throw new UnsupportedOperationException(what + " needs the embedded Kafka and PostgreSQL; this stack runs on " + where);
        }
    }

    private void startServices(List<String> names) {
        List<ServiceProcess> started = new ArrayList<>();
        long startedAt = System.nanoTime();
        progress.accept("starting " + String.join(", ", names) + " …");
        try {
            for (String name : names) {
                if (service(name).isPresent()) {
                    throw new IllegalStateException(name + " is already running; stop it first");
                }
                ServiceProcess service = ServiceProcess.start(name, jar(settings, name), serviceEnv(name), port(name), logFile(name));
                started.add(service);
                adopt(service, () -> services.put(name, service));
                pids.record(name, service.handle());
            }
            awaitReady(started, startedAt);
        } catch (RuntimeException | Error e) {
            for (ServiceProcess service : started) {
                synchronized (lock) {
                    services.remove(service.name(), service);
                }
                stopQuietly(service.name(), service);
                pids.forget(service.name());
            }
            throw e;
        }
        for (ServiceProcess service : started) {
            reportUnexpectedExit(service.onExit(), service.name(), () -> services.get(service.name()) == service, service.logFile());
        }
    }

    /** Waits for all at once, reporting each as it becomes ready, and fails as soon as one fails. */
    private void awaitReady(List<ServiceProcess> started, long startedAt) {
        ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();
        try {
            CompletionService<ServiceProcess> ready = new ExecutorCompletionService<>(waiters);
            for (ServiceProcess service : started) {
                ready.submit(() -> {
                    service.awaitReady(SERVICE_READY_TIMEOUT);
                    return service;
                });
            }
            for (int i = 0; i < started.size(); i++) {
                ServiceProcess service = ready.take().get();
                progress.accept(service.name() + " ready in " + Elapsed.since(startedAt) + " (" + url(service.port()) + ")");
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new StartupFailedException("waiting for the services failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailedException("interrupted while waiting for the services", e);
        } finally {
            // the others would otherwise keep polling a service that is about to be stopped
            waiters.shutdownNow();
        }
    }

    private Map<String, String> serviceEnv(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port(name)));
        // A developer's stack answers on loopback only.
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgresUser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgresPassword());
        env.put("TALLY_STREAMS_STATE_DIR", settings.dataDir().resolve(COMMAND_SERVICE).resolve("streams").toString());
        env.put("TALLY_AUTH", settings.auth() ? "on" : "off");
        // A developer reads plain-text logs, and Ctrl-C need not wait for load balancers that are not there.
        env.put("TALLY_LOG_JSON", "false");
        env.put("TALLY_SHUTDOWN_DELAY", "0s");
        // Webhook receivers on the developer's machine (http, loopback); production refuses them (SSRF).
        env.put("TALLY_WEBHOOKS_ALLOW_LOCAL_TARGETS", "true");
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys().publicKeyLocation());
        env.put("TALLY_MASTER_KEY", dev.tally.stack.auth.LocalMasterKey.ensure(settings.dataDir()));
        env.put("MP_JWT_VERIFY_ISSUER", LocalKeys.ISSUER);
        synchronized (lock) {
            env.putAll(extraServiceEnv.getOrDefault(name, Map.of()));
        }
        return env;
    }

    /** Hands a freshly started part to the stack, unless the stack was closed meanwhile: then the part is stopped too. */
    private void adopt(AutoCloseable part, Runnable register) {
        synchronized (lock) {
            if (!closed) {
                register.run();
                return;
            }
        }
        stopQuietly("a part started while stopping", part);
        throw new StartupFailedException("the stack was stopped while it was starting");
    }

    private void reportUnexpectedExit(CompletableFuture<Process> exit, String name, BooleanSupplier stillCurrent, Path log) {
        exit.thenAccept(process -> {
            boolean unexpected;
            synchronized (lock) {
                unexpected = !closed && stillCurrent.getAsBoolean();
            }
            if (unexpected) {
                progress.accept(name + " stopped unexpectedly (exit code " + process.exitValue() + "); see " + log);
            }
        });
    }

    private Optional<ServiceProcess> removeService(String name) {
        requireService(name);
        synchronized (lock) {
            return Optional.ofNullable(services.remove(name));
        }
    }

    private void stopQuietly(String name, AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception | Error e) {
            progress.accept("could not stop " + name + ": " + e);
        }
    }

    private int port(String name) {
        return switch (name) {
            case COMMAND_SERVICE -> settings.commandPort();
            case PROJECTION_SERVICE -> settings.projectionPort();
            case QUERY_SERVICE -> settings.queryPort();
            default -> throw new IllegalArgumentException("unknown service " + name + "; expected one of " + SERVICES);
        };
    }

    private static void requireService(String name) {
        if (!SERVICES.contains(name)) {
            throw new IllegalArgumentException("unknown service " + name + "; expected one of " + SERVICES);
        }
    }

    private static Path jar(StackSettings settings, String name) {
        return settings.repositoryRoot().resolve(name).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }
}
