package dev.tally.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.tally.schemas.Topics;

/** The broker and the database the whole system rests on, started the way ./run and the system tests start them. */
class InfrastructureTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void brokerAndDatabaseServeTransactionsAndQueries() throws Exception {
        StackSettings settings = StackSettings.onFreePorts(dir, dir.resolve("data"));
        long brokerPid;
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), settings.kafkaPort(), settings.kafkaControllerPort(), dir.resolve("kafka.log"));
             LocalPostgres postgres = LocalPostgres.start(dir.resolve("postgres"), settings.postgresPort())) {
            brokerPid = kafka.pid();

            TopicCreator.createAll(kafka.bootstrapServers());
            TopicCreator.createAll(kafka.bootstrapServers()); // a second run finds them and leaves them alone

            assertEquals("-1", topicConfig(kafka.bootstrapServers(), Topics.LEDGER_EVENTS.name()).get("retention.ms").value());
            String value = "opened-" + UUID.randomUUID();
            produceInTransaction(kafka.bootstrapServers(), value);
            assertEquals(value, consumeOneCommitted(kafka.bootstrapServers()));

            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select 1")) {
                assertTrue(rows.next());
                assertEquals(1, rows.getInt(1));
            }
        }
        assertFalse(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false), "the broker process is gone");
        assertTrue(Ports.isFree(settings.kafkaPort()), "the broker's port is free again");
        assertTrue(Ports.isFree(settings.postgresPort()), "PostgreSQL's port is free again");
    }

    @Test
    @Timeout(120)
    void aBrokerKilledWithSigkillComesBackOnItsPortWithItsCommittedRecords() {
        StackSettings settings = StackSettings.onFreePorts(dir, dir.resolve("data"));
        try (LocalStack stack = LocalStack.startInfrastructureOnly(settings)) {
            String value = "before-the-crash-" + UUID.randomUUID();
            produceInTransaction(stack.bootstrapServers(), value);
            long firstPid = stack.kafka().pid();

            stack.killKafka();
            assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "SIGKILL ended the broker");
            stack.startKafka();

            assertTrue(stack.kafka().pid() != firstPid, "a new broker process");
            assertEquals("127.0.0.1:" + settings.kafkaPort(), stack.bootstrapServers(), "on the same port");
            assertEquals(value, consumeOneCommitted(stack.bootstrapServers()), "with the committed record still there");
        }
    }

    private static Config topicConfig(String bootstrapServers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get().get(resource);
        }
    }

    private static void produceInTransaction(String bootstrapServers, String value) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "infrastructure-test",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.LEDGER_EVENTS.name(), "alice", value));
            producer.commitTransaction();
        }
    }

    private static String consumeOneCommitted(String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "infrastructure-test",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Topics.LEDGER_EVENTS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.value();
                }
            }
            throw new AssertionError("no committed record within 20 s");
        }
    }
}
