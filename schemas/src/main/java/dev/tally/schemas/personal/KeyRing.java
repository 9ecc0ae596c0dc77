package dev.tally.schemas.personal;

import dev.tally.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The keys a reader may open personal values with: {@code tally.ledger.subject-keys} read from the
 * beginning into memory, unwrapped with the master key, and kept current by one thread, so that a
 * subject's forgetting (a tombstone) drops its keys here within a poll.
 *
 * <p>A key id it does not know is either not read yet (an account opened a moment ago: its key was
 * published in the same transaction as its first event, so it is on the topic) or forgotten. A miss
 * therefore waits until the thread has read up to the end the topic had at that moment, then looks
 * again; what is still missing is forgotten, and remembered as such so the next miss is free.
 */
public final class KeyRing implements Function<String, Optional<SubjectKey>>, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KeyRing.class.getName());

    private final KafkaConsumer<String, byte[]> consumer;
    private final KeyWrapping master;
    private final Duration catchUpWait;
    private final Map<String, SubjectKey> byKeyId = new ConcurrentHashMap<>();
    private final Map<String, String> keyIdByAccount = new ConcurrentHashMap<>();
    private final Set<String> forgotten = ConcurrentHashMap.newKeySet();
    private final Object progress = new Object();
    private final Thread reader;
    private long catchUpsAsked;
    private long catchUpsDone;
    private volatile boolean running = true;

    /**
     * @param connection the Kafka connection settings ({@code dev.tally.schemas.KafkaConnection})
     * @param master     the master key the published keys are wrapped with
     */
    public KeyRing(Map<String, Object> connection, KeyWrapping master, Duration catchUpWait) {
        Map<String, Object> settings = new HashMap<>(connection);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-key-ring");
        this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
        this.master = master;
        this.catchUpWait = catchUpWait;
        this.reader = new Thread(this::read, "tally-key-ring");
        this.reader.setDaemon(true);
    }

    /** Starts reading; returns at once. */
    public KeyRing start() {
        reader.start();
        return this;
    }

    /** The key with this id if its subject is not forgotten; waits for the topic's end on a miss. */
    @Override
    public Optional<SubjectKey> apply(String keyId) {
        SubjectKey known = byKeyId.get(keyId);
        if (known != null || forgotten.contains(keyId)) {
            return Optional.ofNullable(known);
        }
        if (!awaitCaughtUp()) {
            // The topic could not be read in time: not an answer about this key, so nothing is remembered.
            throw new IllegalStateException("the subject keys could not be read within " + catchUpWait);
        }
        known = byKeyId.get(keyId);
        if (known == null) {
            forgotten.add(keyId);
        }
        return Optional.ofNullable(known);
    }

    /** How many keys are held; for health and tests. */
    public int size() {
        return byKeyId.size();
    }

    /** Waits until everything on the topic when called has been read. */
    public boolean awaitCaughtUp() {
        long deadline = System.nanoTime() + catchUpWait.toNanos();
        synchronized (progress) {
            long mine = ++catchUpsAsked;
            consumer.wakeup();
            while (catchUpsDone < mine) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void read() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SUBJECT_KEYS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                try {
                    readOnce(partitions);
                } catch (WakeupException asked) {
                    // a reader waits for a catch-up (the next round starts one), or close() was called
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                log("The subject key reader stopped: " + e);
            }
        } finally {
            running = false;
            synchronized (progress) {
                progress.notifyAll();
            }
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void readOnce(List<TopicPartition> partitions) {
        long asked;
        synchronized (progress) {
            asked = catchUpsAsked;
        }
        if (asked == catchUpsDone) {
            pollOnce(Duration.ofMillis(500));
            return;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (running && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            pollOnce(Duration.ofMillis(100));
        }
        synchronized (progress) {
            catchUpsDone = asked;
            progress.notifyAll();
        }
    }

    private void pollOnce(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            apply(record.key(), PublishedKey.decode(record.value()));
        }
    }

    private void apply(String accountId, PublishedKey published) {
        String previous = keyIdByAccount.remove(accountId);
        if (previous != null) {
            byKeyId.remove(previous);
        }
        if (published == null) {
            if (previous != null) {
                forgotten.add(previous);
            }
            return;
        }
        try {
            SubjectKey key = published.unwrap(master, accountId);
            byKeyId.put(key.keyId(), key);
            keyIdByAccount.put(accountId, key.keyId());
            forgotten.remove(key.keyId());
        } catch (IllegalArgumentException wrongMaster) {
            log("A subject key for account " + accountId + " does not unwrap with this master key: " + wrongMaster.getMessage());
        }
    }

    /** True while the reader runs (false after close, or if it died). */
    public boolean running() {
        return running && reader.isAlive();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String message) {
        LOG.log(System.Logger.Level.ERROR, message);
    }
}
