package dev.tally.projection.runner;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a {@link ProjectionRunner} puts what it reads: a projection's tables ({@link BatchWriter})
 * or a reactor's tasks ({@link ReactorWriter}). Either way each batch is one database transaction
 * with the checkpoint it leads to, and the checkpoints are what the runner resumes from.
 */
public interface EventSink {

    /** The checkpoint key, and the name in logs and metrics. */
    String name();

    /** The Kafka consumer group (and the static member id's prefix). */
    String consumerGroup();

    /** Applies the batch (parking what cannot be applied); returns how many events were parked. */
    int writeOrPark(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> from, Map<Integer, Long> nextOffsets);

    /** The stored checkpoints: the next offset per partition. */
    Map<Integer, Long> checkpoints();

    /**
     * Where a partition without a checkpoint starts: false (a read model) from the first event;
     * true (a reactor) from "now": the runner then stores the end offsets as the first checkpoints
     * ({@link #storeFirstCheckpoints}), so that a crash before the first event keeps that start.
     */
    default boolean startsFromEnd() {
        return false;
    }

    /** Stores first checkpoints where none is stored yet (another instance may have stored its own first). */
    default void storeFirstCheckpoints(Map<Integer, Long> checkpoints) {
        throw new UnsupportedOperationException(name() + " starts from the beginning");
    }
}
