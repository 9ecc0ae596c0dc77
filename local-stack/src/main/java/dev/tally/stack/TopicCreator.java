package dev.tally.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.tally.schemas.Topics;

/**
 * Creates the ledger's topics exactly as {@link Topics#ALL} specifies them. The services never
 * create topics (auto-creation is off), so the retention of the source of truth is set in one place.
 */
public final class TopicCreator {

    private static final short REPLICATION_FACTOR = 1;
    // Right after start-up the broker may not yet count itself as a live broker for placing replicas.
    private static final Duration RETRY_FOR = Duration.ofSeconds(15);

    private TopicCreator() {
    }

    /** Creates every topic of {@link Topics#ALL}; ones that already exist are left as they are. */
    public static void createAll(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> missing = new ArrayList<>(Topics.ALL.stream()
                    .map(spec -> new NewTopic(spec.name(), Optional.of(spec.defaultPartitions()), Optional.of(REPLICATION_FACTOR))
                            .configs(spec.configs()))
                    .toList());
            Instant deadline = Instant.now().plus(RETRY_FOR);
            while (!missing.isEmpty()) {
                missing = createReturningRetriable(admin, missing);
                if (!missing.isEmpty()) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new StartupFailedException("could not create topics " + missing.stream().map(NewTopic::name).toList()
                                + " on " + bootstrapServers + ": the broker does not accept them yet");
                    }
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailedException("interrupted while creating topics", e);
        }
    }

    private static List<NewTopic> createReturningRetriable(Admin admin, List<NewTopic> topics) throws InterruptedException {
        var results = admin.createTopics(topics).values();
        List<NewTopic> retry = new ArrayList<>();
        for (NewTopic topic : topics) {
            try {
                results.get(topic.name()).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InvalidReplicationFactorException) {
                    retry.add(topic);
                } else if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new StartupFailedException("could not create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new StartupFailedException("Kafka did not answer within 30 s while creating topic " + topic.name(), e);
            }
        }
        return retry;
    }
}
