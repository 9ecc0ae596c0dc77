package dev.tally.projection.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** DOWN if the webhook reactor's runner or the dispatcher thread ended: no retry mends that, a restart does. */
@Liveness
@ApplicationScoped
public class WebhooksLiveness implements HealthCheck {

    private final Webhooks webhooks;

    WebhooksLiveness(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public HealthCheckResponse call() {
        var dead = webhooks.deadThreads();
        return HealthCheckResponse.named("webhooks").status(dead.isEmpty())
                .withData("dead", String.join(",", dead))
                .withData("reactor", webhooks.reactorStatus()).build();
    }
}
