package dev.tally.projection.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The webhook reactor's knobs (application.properties names them with their environment variables). */
@ApplicationScoped
public class WebhookSettings {

    @ConfigProperty(name = "tally.webhooks.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "tally.webhooks.allow-local-targets", defaultValue = "false")
    boolean allowLocalTargets;
    @ConfigProperty(name = "tally.webhooks.timeout", defaultValue = "10s")
    Duration timeout;
    @ConfigProperty(name = "tally.webhooks.retry.first", defaultValue = "5s")
    Duration retryFirst;
    @ConfigProperty(name = "tally.webhooks.retry.most", defaultValue = "1h")
    Duration retryMost;
    @ConfigProperty(name = "tally.webhooks.retry-for", defaultValue = "24h")
    Duration retryFor;
    @ConfigProperty(name = "tally.webhooks.disable-after", defaultValue = "5d")
    Duration disableAfter;
    @ConfigProperty(name = "tally.webhooks.secret-overlap", defaultValue = "24h")
    Duration secretOverlap;
    @ConfigProperty(name = "tally.webhooks.max-in-flight", defaultValue = "256")
    int maxInFlight;
    @ConfigProperty(name = "tally.webhooks.max-in-flight-per-subscription", defaultValue = "16")
    int maxInFlightPerSubscription;
    @ConfigProperty(name = "tally.webhooks.start-from", defaultValue = "now")
    String startFrom;

    public boolean enabled() {
        return enabled;
    }

    public TargetPolicy targets() {
        return TargetPolicy.of(allowLocalTargets);
    }

    /** How long one attempt may take, connecting and answering; also the base of an attempt's lease. */
    public Duration timeout() {
        return timeout;
    }

    public RetrySchedule retries() {
        return new RetrySchedule(retryFirst, retryMost);
    }

    /** How long a delivery is retried before it is parked. */
    public Duration retryFor() {
        return retryFor;
    }

    /** A subscription failing without a single success for this long is disabled. */
    public Duration disableAfter() {
        return disableAfter;
    }

    /** How long the secret before a rotation keeps signing beside the new one. */
    public Duration secretOverlap() {
        return secretOverlap;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int maxInFlightPerSubscription() {
        return maxInFlightPerSubscription;
    }

    /** "now" (the default: events after the reactor's first start) or "beginning" (the whole log, on a first start only). */
    public boolean startFromBeginning() {
        return "beginning".equalsIgnoreCase(startFrom);
    }
}
