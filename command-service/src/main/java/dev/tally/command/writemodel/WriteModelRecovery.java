package dev.tally.command.writemodel;

import dev.tally.schemas.KafkaClientSettings;
import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * DESIGN decision 1 at start-up: the write model's stores are a cache of {@code tally.ledger.events}.
 * If they are gone (the changelog topics deleted or empty) while the events topic holds history,
 * serving on the empty state would reopen accounts at sequence 1 and forget every transfer id. So
 * before Kafka Streams starts, this folds the events through the same {@code evolve} and writes the
 * result into the changelog topics, exactly where Kafka Streams restores its stores from, and wipes
 * this instance's local state so that it restores from them. The {@code transfers} store alone
 * being empty (a ledger that predates single-use transfer ids) is filled the same way.
 *
 * <p>While another instance of the write model runs, lost account state is not restored behind its
 * back: this instance refuses to start instead, with one line saying why.
 */
@ApplicationScoped
public class WriteModelRecovery {

    private static final Logger LOG = Logger.getLogger(WriteModelRecovery.class);
    private static final Duration ADMIN_WAIT = Duration.ofSeconds(30);

    private final KafkaClientSettings kafka;
    private final String applicationId;
    private final Path stateDir;
    private final Duration idempotencyWindow;
    private final Duration sessionTimeout;

    WriteModelRecovery(KafkaClientSettings kafka,
                       @ConfigProperty(name = "kafka-streams.consumer.session.timeout.ms", defaultValue = "45000")
                       long sessionTimeoutMs,
                       @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId,
                       @ConfigProperty(name = "kafka-streams.state.dir") String stateDir,
                       @ConfigProperty(name = "tally.idempotency.window", defaultValue = "24h") Duration window) {
        this.kafka = kafka;
        this.applicationId = applicationId;
        this.stateDir = Path.of(stateDir);
        this.idempotencyWindow = window;
        this.sessionTimeout = Duration.ofMillis(sessionTimeoutMs);
    }

    /** What was found, for the log and the tests. */
    public enum Outcome { NOTHING_TO_RESTORE, STATE_PRESENT, RESTORED, TRANSFERS_RESTORED }

    private Outcome outcome;

    /** Checks (and restores) once per process, however often the topology is asked for. */
    public synchronized Outcome ensureRestored() {
        if (outcome == null) {
            outcome = check();
        }
        return outcome;
    }

    private Outcome check() {
        try (Admin admin = Admin.create(kafka.client(Map.of()))) {
            Set<String> topics = admin.listTopics().names().get(ADMIN_WAIT.toSeconds(), TimeUnit.SECONDS);
            if (!topics.contains(Topics.LEDGER_EVENTS.name()) || !topics.contains(Topics.COMMANDS.name())) {
                return Outcome.NOTHING_TO_RESTORE;
            }
            List<TopicPartition> eventPartitions = partitions(admin, Topics.LEDGER_EVENTS.name());
            Map<TopicPartition, Long> eventEnds = committedEnds(eventPartitions);
            if (eventEnds.values().stream().mapToLong(Long::longValue).sum() == 0) {
                return Outcome.NOTHING_TO_RESTORE;
            }
            boolean accountsLost = isEmpty(admin, topics, changelog(WriteModelTopology.ACCOUNTS_STORE));
            boolean transfersLost = isEmpty(admin, topics, changelog(WriteModelTopology.TRANSFERS_STORE));
            // Empty also after an upgrade from a version without the store: derived from the log then.
            boolean movementsLost = isEmpty(admin, topics, changelog(WriteModelTopology.MOVEMENTS_STORE));
            // Keys are not in the log: they come back from the published copy (issue 16). Without
            // them the write model would make new keys, and publishing those would forget everyone.
            boolean keysLost = isEmpty(admin, topics, changelog(SubjectKeys.STORE))
                    && !isEmpty(admin, topics, Topics.SUBJECT_KEYS.name());
            if (!accountsLost && !transfersLost && !movementsLost && !keysLost) {
                return Outcome.STATE_PRESENT;
            }
            if (othersRunning(admin)) {
                if (accountsLost) {
                    throw new IllegalStateException(("The write model's state is lost (changelog %s is empty) while "
                            + "%s holds events, and other instances of %s are running on it: stop them all, then start "
                            + "one instance to restore the state from the events").formatted(
                            changelog(WriteModelTopology.ACCOUNTS_STORE), Topics.LEDGER_EVENTS.name(), applicationId));
                }
                return Outcome.STATE_PRESENT;
            }
            WriteModelRebuild folded = fold(eventEnds);
            WriteModelRebuild.Rebuilt rebuilt = folded.result();
            int partitions = partitions(admin, Topics.COMMANDS.name()).size();
            if (accountsLost) {
                LOG.warnf("The write model's state is missing but %s holds %d events: restoring %d accounts, %d "
                                + "idempotency keys and %d transfer ids from it", Topics.LEDGER_EVENTS.name(),
                        eventEnds.values().stream().mapToLong(Long::longValue).sum(), rebuilt.accounts().size(),
                        rebuilt.idempotencyRecords().size(), rebuilt.transfers().size());
                write(admin, topics, partitions, WriteModelTopology.ACCOUNTS_STORE, rebuilt.accounts(),
                        new JsonSerde<>(AccountSnapshot.class), key -> key);
                // A key lives with its account: in the partition of the account's commands.
                write(admin, topics, partitions, WriteModelTopology.IDEMPOTENCY_STORE, unexpired(rebuilt),
                        new JsonSerde<>(IdempotencyRecord.class), IdempotencyRecord::accountOf);
                // Hold records and the expiry index live with their account, like its keys.
                write(admin, topics, partitions, WriteModelTopology.HOLDS_STORE, rebuilt.holds(),
                        new JsonSerde<>(HoldRecord.class), HoldRecord::accountOf);
                write(admin, topics, partitions, WriteModelTopology.HOLD_EXPIRIES_STORE, rebuilt.holdExpiries(),
                        value -> value.getBytes(StandardCharsets.UTF_8), (key, value) -> HoldRecord.accountOf(value));
            } else if (rebuilt.transfers().isEmpty() && rebuilt.movements().isEmpty() && !keysLost) {
                return Outcome.STATE_PRESENT;
            } else {
                LOG.infof("Restoring %d transfer ids and %d deposits and withdrawals from %s",
                        rebuilt.transfers().size(), rebuilt.movements().size(), Topics.LEDGER_EVENTS.name());
            }
            if (accountsLost || transfersLost) {
                write(admin, topics, partitions, WriteModelTopology.TRANSFERS_STORE, rebuilt.transfers(),
                        new JsonSerde<>(TransferRecord.class), key -> key);
            }
            if (accountsLost || movementsLost) {
                // Movements live with their account, like its holds.
                write(admin, topics, partitions, WriteModelTopology.MOVEMENTS_STORE, rebuilt.movements(),
                        new JsonSerde<>(MovementRecord.class), MovementRecord::accountOf);
            }
            if (accountsLost || keysLost) {
                Map<String, byte[]> keys = subjectKeys(admin, folded.forgottenKeyIds());
                LOG.infof("Restoring %d subject keys from %s", keys.size(), Topics.SUBJECT_KEYS.name());
                write(admin, topics, partitions, SubjectKeys.STORE, keys, value -> value, (key, value) -> key);
            }
            wipeLocalState();
            return accountsLost ? Outcome.RESTORED : Outcome.TRANSFERS_RESTORED;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not check the write model's state against "
                    + Topics.LEDGER_EVENTS.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the write model's state", e);
        }
    }

    /**
     * Whether other instances of the write model are members of its group. A member that crashed
     * stays listed until its session times out, so this waits that long for the group to empty.
     */
    private boolean othersRunning(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + sessionTimeout.plusSeconds(5).toNanos();
        while (true) {
            boolean members = !admin.describeConsumerGroups(List.of(applicationId)).all()
                    .get(ADMIN_WAIT.toSeconds(), TimeUnit.SECONDS).get(applicationId).members().isEmpty();
            if (!members || System.nanoTime() > deadline) {
                return members;
            }
            LOG.infof("State lost: waiting for the group %s to empty (a crashed member lingers up to %s)",
                    applicationId, sessionTimeout);
            Thread.sleep(1000);
        }
    }

    /** Kafka Streams' name for a store's changelog topic. */
    String changelog(String store) {
        return applicationId + "-" + store + "-changelog";
    }

    private Map<String, IdempotencyRecord> unexpired(WriteModelRebuild.Rebuilt rebuilt) {
        Instant now = Instant.now();
        return rebuilt.idempotencyRecords().entrySet().stream().filter(e -> e.getValue().expiresAt().isAfter(now))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private boolean isEmpty(Admin admin, Set<String> topics, String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (!topics.contains(topic)) {
            return true;
        }
        return committedEnds(partitions(admin, topic)).values().stream().mapToLong(Long::longValue).sum() == 0;
    }

    private static List<TopicPartition> partitions(Admin admin, String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(ADMIN_WAIT.toSeconds(), TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** End offsets as a read_committed reader sees them (an open transaction's records do not count). */
    private Map<TopicPartition, Long> committedEnds(List<TopicPartition> partitions) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(new org.apache.kafka.common.serialization
                .ByteArrayDeserializer())) {
            return consumer.endOffsets(partitions, ADMIN_WAIT);
        }
    }

    /**
     * Every event through {@code evolve}. A record that cannot be decoded or applied (a corrupt
     * record someone wrote to the topic; the projections park those) is skipped with a warning: the
     * write model never wrote it, and one bad record must not keep the ledger from starting.
     */
    /**
     * The subject-key store as it was: each account's published key, read from the compacted topic,
     * except for the accounts the log says were forgotten, which get the marker back instead (their
     * tombstones may be compacted away by now, their SubjectForgotten events never are).
     */
    private Map<String, byte[]> subjectKeys(Admin admin, Map<String, String> forgotten)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, byte[]> keys = new java.util.HashMap<>();
        readToEnd(committedEnds(partitions(admin, Topics.SUBJECT_KEYS.name())), record -> {
            if (record.value() == null) {
                keys.remove(record.key());
            } else {
                keys.put(record.key(), record.value());
            }
        });
        forgotten.forEach((accountId, keyId) -> keys.put(accountId, SubjectKeys.forgottenMarker(keyId)));
        return keys;
    }

    private WriteModelRebuild fold(Map<TopicPartition, Long> ends) {
        WriteModelRebuild rebuild = new WriteModelRebuild(idempotencyWindow);
        LedgerEventDeserializer events = new LedgerEventDeserializer();
        java.util.concurrent.atomic.AtomicInteger skipped = new java.util.concurrent.atomic.AtomicInteger();
        readToEnd(ends, record -> {
            if (record.value() == null) {
                return;
            }
            try {
                SpecificRecord event = events.deserialize(record.topic(), record.headers(), record.value());
                if (event != null) {
                    rebuild.apply(event);
                }
            } catch (RuntimeException unusable) {
                skipped.incrementAndGet();
                LOG.warnf("Restoring the write model: skipped the record at %s-%d offset %d: %s",
                        record.topic(), record.partition(), record.offset(), unusable.getMessage());
            }
        });
        if (skipped.get() > 0) {
            LOG.warnf("Restoring the write model: %d record(s) of %s could not be used", skipped.get(),
                    Topics.LEDGER_EVENTS.name());
        }
        return rebuild;
    }

    /** Every committed record of the partitions, from their beginning up to {@code ends}, in order per partition. */
    private void readToEnd(Map<TopicPartition, Long> ends,
                           java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(new org.apache.kafka.common.serialization
                .ByteArrayDeserializer())) {
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }

    private <V> KafkaConsumer<String, V> consumer(org.apache.kafka.common.serialization.Deserializer<V> values) {
        return new KafkaConsumer<>(kafka.client(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, "tally-write-model-recovery")), new StringDeserializer(), values);
    }

    /**
     * Writes a store's entries into its changelog, each to the partition of the stream task that
     * keeps it: the commands topic's partition of the command key the entry belongs to (default
     * partitioner, same key bytes).
     */
    private <V> void write(Admin admin, Set<String> topics, int partitions, String store, Map<String, V> entries,
                           JsonSerde<V> values, java.util.function.UnaryOperator<String> commandKeyOf)
            throws ExecutionException, InterruptedException, TimeoutException {
        write(admin, topics, partitions, store, entries, values::toBytes, (key, value) -> commandKeyOf.apply(key));
    }

    private <V> void write(Admin admin, Set<String> topics, int partitions, String store, Map<String, V> entries,
                           java.util.function.Function<V, byte[]> values,
                           java.util.function.BiFunction<String, V, String> commandKeyOf)
            throws ExecutionException, InterruptedException, TimeoutException {
        String topic = changelog(store);
        if (!topics.contains(topic)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact")))).all()
                    .get(ADMIN_WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        // Not idempotent, one request in flight: an idempotent producer writing into a topic created a
        // moment ago can be answered OUT_OF_ORDER_SEQUENCE_NUMBER for ever (Kafka 4.1, seen in
        // WriteModelStateLossSystemTest: start-up hung). Order holds with one request in flight, and a
        // retried record written twice is harmless in a compacted changelog (same key, same value).
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new java.util.ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.client(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "tally-write-model-recovery")),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, V> entry : entries.entrySet()) {
                byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] commandKey = commandKeyOf.apply(entry.getKey(), entry.getValue()).getBytes(StandardCharsets.UTF_8);
                int partition = Utils.toPositive(Utils.murmur2(commandKey)) % partitions;
                sent.add(producer.send(new ProducerRecord<>(topic, partition, key, values.apply(entry.getValue()))));
            }
            producer.flush();
            // A record that could not be written fails the recovery, so the service refuses to start
            // instead of serving on a changelog with holes.
            for (var write : sent) {
                write.get();
            }
        }
    }

    /** Local stores would otherwise be trusted over the changelog we just wrote. */
    private void wipeLocalState() {
        Path local = stateDir.resolve(applicationId);
        if (!Files.exists(local)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(local)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not wipe the local write-model state " + local, e);
        }
    }
}
