package dev.tally.projection.webhooks;

import dev.tally.projection.runner.BatchWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Carries out the deliveries the reactor recorded. One loop claims what is due ({@link
 * Deliveries#claim}: the oldest pending delivery of each subscription and account, leased) and hands
 * each to a virtual thread, so a slow or dead receiver holds up only its own subscription's
 * deliveries, and at most {@code max-in-flight-per-subscription} of them. Each attempt is bounded
 * by {@code tally.webhooks.timeout} from connecting to the last byte of the answer, whose body is
 * discarded. Redirects are not followed (a redirect could lead to an address the target policy refuses).
 */
public final class Dispatcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(250);
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
    /**
     * After a wake, how long to let other completions and commits gather before claiming: under a
     * burst every finished delivery wakes the loop, and one claim per wake would spend a transaction
     * to fetch one row.
     */
    private static final long GATHER_MILLIS = 5;
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Deliveries deliveries;
    private final WebhookSettings settings;
    private final TargetPolicy targets;
    private final RetrySchedule retries;
    private final HttpClient client;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots;
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final MeterRegistry metrics;
    private final Timer attemptLatency;
    private final Timer deliveryLatency;
    private final OpenTelemetry telemetry;
    private final Tracer tracer;
    private final AtomicReference<Deliveries.Backlog> backlog = new AtomicReference<>(new Deliveries.Backlog(0, 0));
    private final AtomicLong lastBacklogRead = new AtomicLong();
    private volatile boolean stopping;

    public Dispatcher(Deliveries deliveries, WebhookSettings settings, MeterRegistry metrics, OpenTelemetry telemetry) {
        this.deliveries = deliveries;
        this.settings = settings;
        this.targets = settings.targets();
        this.retries = settings.retries();
        this.metrics = metrics;
        this.telemetry = telemetry;
        this.tracer = telemetry.getTracer("dev.tally.projection.webhooks");
        this.slots = new Semaphore(settings.maxInFlight());
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(senders)
                .build();
        this.attemptLatency = Timer.builder("tally.webhook.attempt").description("one delivery attempt, request to answer")
                .publishPercentileHistogram().register(metrics);
        this.deliveryLatency = Timer.builder("tally.webhook.delivery")
                .description("from the event to its delivery (answered 2xx), retries included")
                .publishPercentileHistogram().register(metrics);
        Gauge.builder("tally.webhook.pending", backlog, b -> b.get().pending())
                .description("deliveries waiting to be sent or retried").register(metrics);
        Gauge.builder("tally.webhook.oldest.undelivered.seconds", backlog, b -> b.get().oldestSeconds())
                .description("age of the oldest event whose delivery is still pending").register(metrics);
        Gauge.builder("tally.webhook.in.flight", inFlight, m -> m.values().stream().mapToInt(Integer::intValue).sum())
                .register(metrics);
    }

    /** Something may be due now (the reactor committed deliveries, a retry was asked for). */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    public void stop() {
        stopping = true;
        wake();
        senders.shutdown();
        try {
            senders.awaitTermination(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        int failures = 0;
        while (!stopping) {
            try {
                refreshBacklog();
                int asked = Math.min(slots.availablePermits(), 64);
                List<Deliveries.Due> due = asked == 0 ? List.of()
                        : deliveries.claim(asked, busySubscriptions(), settings.timeout().plus(LEASE_MARGIN));
                due.forEach(this::send);
                failures = 0;
                // Fewer than asked means nothing else is due yet: claiming again at once would find
                // nothing, so wait for a wake (or the poll, which finds retries whose time came).
                if (due.size() < asked || asked == 0) {
                    if (wake.tryAcquire(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                        Thread.sleep(GATHER_MILLIS);
                    }
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) { // the loop must not end: deliveries would silently stop
                failures++;
                long backoff = Math.min(30_000, 500L << Math.min(failures - 1, 6));
                LOG.errorf(e, "Webhook dispatcher failed (%d in a row): %s; again in %d ms", failures, e, backoff);
                sleep(backoff);
            }
        }
    }

    private Set<String> busySubscriptions() {
        Set<String> busy = new java.util.HashSet<>();
        inFlight.forEach((subscription, count) -> {
            if (count >= settings.maxInFlightPerSubscription()) {
                busy.add(subscription);
            }
        });
        return busy;
    }

    private void send(Deliveries.Due due) {
        slots.acquireUninterruptibly();
        inFlight.merge(due.subscriptionId(), 1, Integer::sum);
        try {
            senders.execute(() -> {
                try {
                    attempt(due);
                } finally {
                    inFlight.computeIfPresent(due.subscriptionId(), (s, n) -> n <= 1 ? null : n - 1);
                    slots.release();
                    wake(); // the account's next delivery may go now
                }
            });
        } catch (RuntimeException rejected) { // shutting down: the lease runs out and another instance sends it
            inFlight.computeIfPresent(due.subscriptionId(), (s, n) -> n <= 1 ? null : n - 1);
            slots.release();
        }
    }

    private void attempt(Deliveries.Due due) {
        Span span = startSpan(due);
        Instant started = Instant.now();
        long start = System.nanoTime();
        Deliveries.Attempt attempt;
        try (Scope ignored = span.makeCurrent()) {
            attempt = call(due, started, span);
        }
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        attempt = new Deliveries.Attempt(started, latencyMs, attempt.code(), attempt.error());
        attemptLatency.record(Duration.ofNanos(System.nanoTime() - start));
        if (attempt.code() != null) {
            span.setAttribute("http.response.status_code", attempt.code());
        }
        try {
            Instant next = Instant.now().plus(retries.after(due.attempts() + 1, ThreadLocalRandom.current()::nextDouble));
            Deliveries.Outcome outcome = deliveries.record(due, attempt, next, settings.disableAfter());
            switch (outcome) {
                case DELIVERED -> deliveryLatency.record(Duration.between(due.eventAt(), Instant.now()));
                case GONE -> LOG.infof("Webhook subscription %s unsubscribed: its receiver answered 410", due.subscriptionId());
                case PARKED -> LOG.warnf("Webhook delivery %s of subscription %s parked after %d attempts: %s",
                        due.id(), due.subscriptionId(), due.attempts() + 1, describe(attempt));
                case FAILED -> { }
            }
            if (outcome != Deliveries.Outcome.DELIVERED) {
                Counter.builder("tally.webhook.failures").tag("subscription", due.subscriptionId())
                        .description("attempts that did not deliver").register(metrics).increment();
                span.setStatus(StatusCode.ERROR, describe(attempt));
            }
        } catch (Exception e) {
            // Not recorded: the lease runs out and the delivery is sent again, with the same webhook-id.
            LOG.errorf(e, "Webhook delivery %s: recording the attempt failed: %s", due.id(), e);
        } finally {
            span.end();
        }
    }

    private Deliveries.Attempt call(Deliveries.Due due, Instant started, Span span) {
        var refused = targets.problemWithCall(due.url());
        if (refused.isPresent()) {
            return new Deliveries.Attempt(started, 0, null, "refused by the target policy: the URL " + refused.get());
        }
        long timestamp = started.getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(due.url()))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Tally-Webhooks/1")
                .header("webhook-id", due.id())
                .header("webhook-timestamp", String.valueOf(timestamp))
                .header("webhook-signature", Signatures.header(due.secrets(), due.id(), timestamp, due.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(due.payload()));
        Map<String, String> trace = new HashMap<>();
        telemetry.getPropagators().getTextMapPropagator().inject(Context.current(), trace, Map::put);
        trace.forEach(request::header);
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        try {
            HttpResponse<Void> response = answer.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Deliveries.Attempt(started, 0, response.statusCode(),
                    response.statusCode() >= 200 && response.statusCode() < 300 ? null : "answered " + response.statusCode());
        } catch (TimeoutException e) {
            answer.cancel(true);
            return noAnswerInTime(started);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new Deliveries.Attempt(started, 0, null, "interrupted (the service is stopping)");
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                // The client's own request timeout can fire a moment before ours: the same outcome.
                return noAnswerInTime(started);
            }
            return new Deliveries.Attempt(started, 0, null, BatchWriter.describe(cause));
        }
    }

    private Deliveries.Attempt noAnswerInTime(Instant started) {
        return new Deliveries.Attempt(started, 0, null, "no answer within " + settings.timeout().toMillis() + " ms");
    }

    private Span startSpan(Deliveries.Due due) {
        Context parent = Context.root();
        if (due.traceparent() != null) {
            parent = telemetry.getPropagators().getTextMapPropagator()
                    .extract(Context.root(), Map.of("traceparent", due.traceparent()), GETTER);
        }
        return tracer.spanBuilder("tally.webhook deliver").setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute("tally.webhook.id", due.id())
                .setAttribute("tally.webhook.subscription", due.subscriptionId())
                .setAttribute("tally.event.type", due.eventType())
                .startSpan();
    }

    private static String describe(Deliveries.Attempt attempt) {
        return attempt.error() != null ? attempt.error() : "answered " + attempt.code();
    }

    private void refreshBacklog() throws java.sql.SQLException {
        long now = System.currentTimeMillis();
        if (now - lastBacklogRead.get() >= 5_000) {
            lastBacklogRead.set(now);
            backlog.set(deliveries.backlog());
        }
    }

    private void sleep(long millis) {
        try {
            wake.tryAcquire(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }
}
