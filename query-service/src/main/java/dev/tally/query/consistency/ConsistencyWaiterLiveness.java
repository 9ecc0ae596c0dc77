package dev.tally.query.consistency;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once the waiter's ticker thread has ended: reads with a Consistency-Token could then only
 * answer 503, and only a restart brings the thread back. (A database that does not answer is not a
 * liveness matter: the ticker retries, and readiness reports the database.)
 */
@Liveness
@ApplicationScoped
public class ConsistencyWaiterLiveness implements HealthCheck {

    private final ConsistencyTokenWaiter waiter;

    ConsistencyWaiterLiveness(ConsistencyTokenWaiter waiter) {
        this.waiter = waiter;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("consistency-token-waiter").status(waiter.isTicking())
                .withData("lastTick", waiter.lastTick().toString()).withData("waiting", waiter.waiting()).build();
    }
}
