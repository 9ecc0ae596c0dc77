package dev.tally.command.writemodel;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * One memory budget for every RocksDB store of the instance. Kafka Streams' default gives each
 * store (7 stores x 6 partitions here, plus the global directory) its own block cache and write
 * buffers, so the process grew with the partition count: 1.4 GB RSS after 200,000 commands. Here
 * they share one LRU cache that also holds index and filter blocks and charges the write buffers
 * (the pattern in Kafka Streams' memory-management guide), so the native memory is bounded by
 * {@code tally.rocksdb.memory.mb} (a {@code kafka-streams.} property) whatever the partition count.
 * Reads beyond the cache go to disk (the page cache), never to a bigger heap.
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {

    public static final String MEMORY_MB = "tally.rocksdb.memory.mb";
    static final long DEFAULT_MEMORY_MB = 64;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(sharedCache(configs));
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(writeBuffers);
        // Small memtables, flushed early: the stores are small and the changelog is the durable copy.
        options.setWriteBufferSize(4L * 1024 * 1024);
        options.setMaxWriteBufferNumber(2);
    }

    /** The cache and write-buffer manager are shared by every store, made once, never closed (they live as long as the process). */
    private static synchronized Cache sharedCache(Map<String, Object> configs) {
        if (cache == null) {
            long bytes = megabytes(configs.get(MEMORY_MB)) * 1024 * 1024;
            // A tenth for index and filter blocks at high priority; write buffers may use up to a quarter.
            cache = new LRUCache(bytes, -1, false, 0.1);
            writeBuffers = new WriteBufferManager(bytes / 4, cache);
        }
        return cache;
    }

    static long megabytes(Object configured) {
        if (configured == null || configured.toString().isBlank()) {
            return DEFAULT_MEMORY_MB;
        }
        long value = Long.parseLong(configured.toString().trim());
        if (value < 8) {
            throw new IllegalArgumentException(MEMORY_MB + " must be at least 8 (MB), was " + value);
        }
        return value;
    }

    @Override
    public void close(String storeName, Options options) {
        // The shared cache and write-buffer manager outlive any one store.
    }
}
