package dev.tally.command.writemodel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.schemas.KafkaClientSettings;
import dev.tally.schemas.LedgerEventSerializer;
import dev.tally.schemas.Topics;
import dev.tally.stack.KafkaBroker;
import dev.tally.stack.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write model's state lost while other instances of its group still run on it (issue 11, 3),
 * on a real broker: restoring the changelogs behind their back would race their writes, so the
 * instance refuses to start with one line saying why, and writes nothing.
 */
class WriteModelRecoveryTest {

    private static final String APPLICATION_ID = "tally-write-model-recovery-test";
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafkaWithHistoryButNoChangelogs() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-");
        StackSettings ports = StackSettings.onFreePorts(Path.of(".."), dir);
        kafka = KafkaBroker.start(dir.resolve("kafka"), ports.kafkaPort(), ports.kafkaControllerPort(),
                dir.resolve("kafka.log"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.LEDGER_EVENTS.name(), 2, (short) 1),
                    new NewTopic(Topics.COMMANDS.name(), 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                "bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            RecordHeaders headers = new RecordHeaders();
            byte[] opened = new LedgerEventSerializer().serialize(Topics.LEDGER_EVENTS.name(), headers, opened("alice"));
            producer.send(new ProducerRecord<>(Topics.LEDGER_EVENTS.name(), 0, "alice", opened, headers))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void lost_state_with_another_instance_of_the_group_running_refuses_to_start_and_restores_nothing() throws Exception {
        try (KafkaConsumer<String, String> otherInstance = new KafkaConsumer<>(Map.<String, Object>of(
                "bootstrap.servers", kafka.bootstrapServers(), "group.id", APPLICATION_ID),
                new StringDeserializer(), new StringDeserializer())) {
            otherInstance.subscribe(List.of(Topics.COMMANDS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (otherInstance.assignment().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the other instance never joined the group");
                otherInstance.poll(Duration.ofMillis(200));
            }
            WriteModelRecovery recovery = new WriteModelRecovery(settings(), 2_000, APPLICATION_ID,
                    Files.createTempDirectory(Path.of("target"), "state-").toString(), Duration.ofHours(24));

            IllegalStateException refused = assertThrows(IllegalStateException.class, recovery::ensureRestored);

            assertTrue(refused.getMessage().contains("other instances of " + APPLICATION_ID + " are running"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains(recovery.changelog(WriteModelTopology.ACCOUNTS_STORE)),
                    refused.getMessage());
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .anyMatch(topic -> topic.startsWith(APPLICATION_ID)), "no changelog written behind the group's back");
        }
    }

    private static KafkaClientSettings settings() {
        System.setProperty("kafka.bootstrap.servers", kafka.bootstrapServers());
        try {
            return new KafkaClientSettings();
        } finally {
            System.clearProperty("kafka.bootstrap.servers");
        }
    }

    private static AccountOpened opened(String account) {
        EventMeta meta = EventMeta.newBuilder().setEventId(account + "-e1").setAccountId(account).setSequence(1)
                .setOccurredAt(Instant.parse("2026-11-22T08:00:00Z")).setCommandId(account + "-c1")
                .setCorrelationId("c1").setCausationId(null).setActor("teller").setIdempotencyKey(null)
                .setRequestHash(null).build();
        return AccountOpened.newBuilder().setMeta(meta).setOwner(account).setCurrency("USD").setScale(2)
                .setOverdraftLimitMinor(0).setMetadata(Map.of()).build();
    }
}
