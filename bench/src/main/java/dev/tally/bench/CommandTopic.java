package dev.tally.bench;

import dev.tally.command.ledger.AccountCommand.DepositFunds;
import dev.tally.command.ledger.AccountCommand.OpenAccount;
import dev.tally.command.ledger.CommandContext;
import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.command.writemodel.JsonSerde;
import dev.tally.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The write model without HTTP: commands produced straight onto {@code tally.ledger.commands}, keyed and
 * encoded as the command service does ({@link CommandMessage#key()}, {@link JsonSerde}), and counted
 * when their results are committed on {@code tally.ledger.command-results} (read_committed: a result is
 * visible exactly when its events are).
 */
final class CommandTopic {

    static final String OWNER = "bench";

    /** What one batch of commands did; times in nanoseconds of {@link System#nanoTime()}. */
    record Drain(long commands, long accepted, long rejected, long sendErrors, long firstSent, long lastSent,
                 long firstResult, long lastResult, Instant halfwayAt, boolean complete) {

        double seconds() {
            return (lastResult - firstSent) / 1e9;
        }

        /** Results per second from the first command sent to the last result committed. */
        double perSecond() {
            return accepted / seconds();
        }
    }

    private final String bootstrap;
    private final JsonSerde<CommandMessage> commands = new JsonSerde<>(CommandMessage.class);
    private final JsonSerde<CommandResult> results = new JsonSerde<>(CommandResult.class);

    CommandTopic(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    static CommandMessage open(String commandId, String accountId) {
        Instant now = Instant.now();
        return CommandMessage.from(new OpenAccount(CommandContext.direct(commandId, accountId, now, OWNER, commandId,
                null, null), OWNER, "USD", null, Map.of()), null, null);
    }

    static CommandMessage deposit(String commandId, String accountId) {
        Instant now = Instant.now();
        return CommandMessage.from(new DepositFunds(CommandContext.direct(commandId, accountId, now, OWNER, commandId,
                null, null), commandId, "1.00", "bench", Map.of()), null, null);
    }

    /**
     * Sends {@code count} commands made by {@code command} (from a command id) as fast as the producer
     * takes them, and waits until each has its committed result or {@code timeout} passes.
     */
    Drain run(long count, CommandFactory command, Duration timeout) {
        // Command ids share their first 64 bits, so results of this batch are told apart by prefix.
        long batch = ThreadLocalRandom.current().nextLong();
        String prefix = new UUID(batch, 0).toString().substring(0, 19);
        try (KafkaConsumer<String, byte[]> consumer = consumer();
             KafkaProducer<String, byte[]> producer = producer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMAND_RESULTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            AtomicLong sendErrors = new AtomicLong();
            AtomicLong lastSent = new AtomicLong();
            long firstSent = System.nanoTime();
            Thread sender = Thread.ofPlatform().name("bench-sender").start(() -> {
                for (long i = 0; i < count; i++) {
                    CommandMessage message = command.make(new UUID(batch, i).toString());
                    producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), message.key(), commands.toBytes(message)),
                            (metadata, error) -> {
                                if (error != null) {
                                    sendErrors.incrementAndGet();
                                }
                            });
                }
                producer.flush();
                lastSent.set(System.nanoTime());
            });
            long accepted = 0;
            long rejected = 0;
            long firstResult = 0;
            long lastResult = 0;
            Instant halfway = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (accepted + rejected + sendErrors.get() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.key() == null || !record.key().startsWith(prefix)) {
                        continue;
                    }
                    CommandResult result = results.fromBytes(record.value());
                    if (result.accepted()) {
                        accepted++;
                    } else {
                        rejected++;
                    }
                    lastResult = System.nanoTime();
                    if (firstResult == 0) {
                        firstResult = lastResult;
                    }
                    if (halfway == null && accepted + rejected >= count / 2) {
                        halfway = Instant.now();
                    }
                }
            }
            sender.join();
            boolean complete = accepted + rejected == count;
            return new Drain(count, accepted, rejected, sendErrors.get(), firstSent, lastSent.get(), firstResult,
                    lastResult, halfway, complete);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface CommandFactory {
        CommandMessage make(String commandId);
    }

    static CommandFactory depositsOver(List<String> accounts) {
        AtomicLong next = new AtomicLong();
        return id -> deposit(id, accounts.get((int) (next.getAndIncrement() % accounts.size())));
    }

    static CommandFactory opening(List<String> accounts) {
        AtomicLong next = new AtomicLong();
        return id -> open(id, accounts.get((int) next.getAndIncrement()));
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, "tally-bench-commands"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, "tally-bench-results"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
