package dev.tally.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.tally.schemas.TopicSpec;
import dev.tally.schemas.Topics;

/**
 * A stack on Kafka and PostgreSQL it did not start (what the system tests' containers are): it
 * starts no broker or database of its own, creates the topics there, hands out their addresses,
 * refuses what only the embedded broker can do, and closes the infrastructure. Here the
 * "external" parts are embedded ones started by the test, so no Docker engine is needed.
 */
class ExternalInfrastructureTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void theStackUsesTheInfrastructureItIsGivenAndClosesIt() throws Exception {
        StackSettings settings = StackSettings.onFreePorts(dir, dir.resolve("data"));
        StackSettings elsewhere = StackSettings.onFreePorts(dir, dir.resolve("elsewhere"));
        AtomicInteger closed = new AtomicInteger();
        List<String> progress = new CopyOnWriteArrayList<>();
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), elsewhere.kafkaPort(), elsewhere.kafkaControllerPort(), dir.resolve("kafka.log"));
             LocalPostgres postgres = LocalPostgres.start(dir.resolve("postgres"), elsewhere.postgresPort())) {
            Infrastructure given = new Infrastructure() {
                @Override public String bootstrapServers() { return kafka.bootstrapServers(); }
                @Override public String jdbcUrl() { return postgres.jdbcUrl(); }
                @Override public String postgresUser() { return postgres.username(); }
                @Override public String postgresPassword() { return postgres.password(); }
                @Override public String description() { return "the test's broker and database"; }
                @Override public void close() { closed.incrementAndGet(); }
            };

            try (LocalStack stack = LocalStack.startInfrastructureOnly(settings, progress::add, (s, p) -> given)) {
                assertEquals(kafka.bootstrapServers(), stack.bootstrapServers());
                assertEquals(postgres.jdbcUrl(), stack.jdbcUrl());
                assertEquals(postgres.username(), stack.postgresUser());
                assertEquals(postgres.password(), stack.postgresPassword());
                assertTrue(Ports.isFree(settings.kafkaPort()) && Ports.isFree(settings.postgresPort()),
                        "no broker or database of the stack's own");
                assertEquals(Set.copyOf(Topics.ALL.stream().map(TopicSpec::name).toList()), topics(kafka.bootstrapServers()),
                        "the topics are created on the given broker");
                assertEquals("-1", topicConfig(kafka.bootstrapServers(), Topics.LEDGER_EVENTS.name()).get("retention.ms").value());

                UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class, stack::killKafka);
                assertEquals("killKafka needs the embedded Kafka and PostgreSQL; this stack runs on the test's broker and database",
                        refused.getMessage());
                assertThrows(UnsupportedOperationException.class, stack::startKafka);
                assertThrows(UnsupportedOperationException.class, stack::kafka);
                assertThrows(UnsupportedOperationException.class, stack::postgres);
                assertEquals(0, closed.get());
            }
            assertEquals(1, closed.get(), "closing the stack closes the infrastructure, once");
            assertTrue(progress.stream().anyMatch(line -> line.startsWith("infrastructure ready in ") && line.contains("the test's broker")), progress.toString());
        }
    }

    private static Set<String> topics(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.listTopics().names().get();
        }
    }

    private static Config topicConfig(String bootstrapServers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get().get(resource);
        }
    }
}
