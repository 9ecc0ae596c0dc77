package dev.tally.command.platform;

import dev.tally.command.writemodel.CommandMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.jboss.logging.Logger;

/**
 * Right after Kafka Streams reports RUNNING, the first transactions can stall for about a second
 * (producer fencing, first fetches). So before the service calls itself ready it sends one ping
 * through every partition of the commands topic and waits for the answers: the first client
 * request then meets a warm pipeline.
 */
@ApplicationScoped
public class WriteModelWarmUp {

    private static final Logger LOG = Logger.getLogger(WriteModelWarmUp.class);

    private final KafkaStreams streams;
    private final CommandBus bus;
    private final CommandResultListener listener;
    private volatile boolean warm;
    private volatile boolean stopping;

    WriteModelWarmUp(KafkaStreams streams, CommandBus bus, CommandResultListener listener) {
        this.streams = streams;
        this.bus = bus;
        this.listener = listener;
    }

    void start(@Observes StartupEvent startup) {
        Thread.ofPlatform().name("write-model-warm-up").daemon().start(this::warmUp);
    }

    public boolean isWarm() {
        return warm;
    }

    private void warmUp() {
        long started = System.nanoTime();
        while (!warm && !stopping) {
            try {
                if (streams.state() == KafkaStreams.State.RUNNING && listener.isPositioned()) {
                    int partitions = bus.commandPartitions();
                    CompletableFuture<?>[] pings = new CompletableFuture<?>[partitions];
                    for (int partition = 0; partition < partitions; partition++) {
                        pings[partition] = bus.ping(CommandMessage.ping(UUID.randomUUID().toString(), Instant.now()),
                                partition).toCompletableFuture();
                    }
                    CompletableFuture.allOf(pings).get(30, TimeUnit.SECONDS);
                    warm = true;
                    LOG.infof("Write model warm after %d ms (%d partitions pinged)",
                            (System.nanoTime() - started) / 1_000_000, partitions);
                } else {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception notYet) {
                LOG.debugf(notYet, "Warm-up ping failed; trying again");
            }
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
    }
}
