package dev.tally.replay;

import dev.tally.command.writemodel.WriteModelRebuild;
import dev.tally.events.EventMeta;
import dev.tally.projection.accounts.AccountsProjectionWriter;
import dev.tally.projection.audit.AuditProjection;
import dev.tally.projection.daily.DailyBalancesProjection;
import dev.tally.projection.history.AccountHistoryProjection;
import dev.tally.projection.reconciliation.ReadModelChecks;
import dev.tally.projection.reconciliation.ReconciliationReport;
import dev.tally.projection.runner.BatchWriter;
import dev.tally.projection.runner.Projection;
import dev.tally.projection.statements.StatementsProjectionWriter;
import dev.tally.projection.transfers.TransfersProjection;
import dev.tally.schemas.LedgerEventDeserializer;
import dev.tally.schemas.SchemaHistory;
import dev.tally.schemas.SchemaVersion;
import dev.tally.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * The event-of-doom detector: every record of a log through today's deserializer and upcasters,
 * today's {@code evolve} (the write model's rebuild) and today's projections (into a scratch
 * database, the same batched transactions as live). It stops at the first record that any of them
 * cannot handle and says where it is. Once the whole log is in, the read models must pass every
 * reconciliation check ({@link ReadModelChecks}: balances equal their lines, versions their events,
 * the ledger sums, available ≥ 0 and held = the open holds on every account).
 */
public final class ReplayCheck {

    private static final String TOPIC = Topics.LEDGER_EVENTS.name();
    private static final int CHUNK = 2000;

    private final DataSource scratch;
    private final List<Projection> projections;
    private final Supplier<Consumer<SpecificRecord>> evolve;

    public ReplayCheck(DataSource scratch) {
        this(scratch, projections(), () -> new WriteModelRebuild()::apply);
    }

    /** @param evolve a fresh write model's {@code evolve} per run (tests of the read side may stand in for it) */
    ReplayCheck(DataSource scratch, List<Projection> projections, Supplier<Consumer<SpecificRecord>> evolve) {
        this.scratch = scratch;
        this.projections = projections;
        this.evolve = evolve;
    }

    /** Every projection the projection service runs, as it runs them. */
    static List<Projection> projections() {
        return List.of(new AccountsProjectionWriter(), new StatementsProjectionWriter(),
                new AccountHistoryProjection(), new DailyBalancesProjection(), new TransfersProjection(),
                new AuditProjection());
    }

    public ReplayReport run(List<LogRecord> log) {
        long started = System.currentTimeMillis();
        LedgerEventDeserializer deserializer = new LedgerEventDeserializer();
        Map<Long, String> versionNames = new HashMap<>();
        for (SchemaVersion version : SchemaHistory.shipped().all()) {
            versionNames.put(version.fingerprint(), version.type() + " v" + version.number());
        }
        Consumer<SpecificRecord> evolve = this.evolve.get();
        List<BatchWriter> writers = projections.stream().map(p -> new BatchWriter(p, scratch, null)).toList();
        Map<String, Long> perType = new TreeMap<>();
        Map<String, Long> perVersion = new TreeMap<>();
        Set<String> accounts = new HashSet<>();

        Map<Integer, List<LogRecord>> byPartition = new TreeMap<>();
        log.forEach(r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r));
        for (List<LogRecord> partition : byPartition.values()) {
            partition.sort(Comparator.comparingLong(LogRecord::offset));
            for (int from = 0; from < partition.size(); from += CHUNK) {
                List<LogRecord> chunk = partition.subList(from, Math.min(partition.size(), from + CHUNK));
                for (LogRecord record : chunk) {
                    SpecificRecord event;
                    try {
                        event = deserializer.deserialize(TOPIC, record.value());
                    } catch (RuntimeException e) {
                        return failed(record, "decode", e, log.size(), started);
                    }
                    try {
                        evolve.accept(event);
                    } catch (RuntimeException e) {
                        return failed(record, "evolve", e, log.size(), started);
                    }
                    perType.merge(event.getSchema().getName(), 1L, Long::sum);
                    perVersion.merge(versionNames.getOrDefault(fingerprint(record.value()), "unreleased"), 1L, Long::sum);
                    accounts.add(((EventMeta) event.get(0)).getAccountId());
                }
                // Where each writer's checkpoint of this partition stands before the chunk (none at first).
                Map<Integer, Long> before = from == 0 ? Map.of()
                        : nextOffsets(partition.subList(from - 1, from));
                for (BatchWriter writer : writers) {
                    Optional<ReplayReport.Failure> failure = project(writer, chunk, before);
                    if (failure.isPresent()) {
                        return new ReplayReport(false, failure.get(), log.size(), accounts.size(), perType, perVersion,
                                System.currentTimeMillis() - started);
                    }
                }
            }
        }
        Optional<ReplayReport.Failure> broken = invariants();
        return new ReplayReport(broken.isEmpty(), broken.orElse(null), log.size(), accounts.size(), perType,
                perVersion, System.currentTimeMillis() - started);
    }

    /** The read models' checks over the whole replay, in one snapshot; the first broken one, if any. */
    private Optional<ReplayReport.Failure> invariants() {
        try (Connection connection = scratch.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return ReadModelChecks.run(connection).stream()
                        .filter(c -> c.outcome() == ReconciliationReport.Outcome.MISMATCH).findFirst()
                        .map(c -> new ReplayReport.Failure(-1, -1, null, "invariant " + c.name(),
                                c.description() + "; " + String.join("; ", c.mismatches())));
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            return Optional.of(new ReplayReport.Failure(-1, -1, null, "invariants", rootMessage(e)));
        }
    }

    /** A chunk in one transaction; if that fails, record by record, to name the first culprit. */
    private static Optional<ReplayReport.Failure> project(BatchWriter writer, List<LogRecord> chunk,
                                                          Map<Integer, Long> before) {
        try {
            writer.write(chunk.stream().map(ReplayCheck::consumerRecord).toList(), before, nextOffsets(chunk));
            return Optional.empty();
        } catch (RuntimeException batchFailed) {
            Map<Integer, Long> position = before;
            for (LogRecord record : chunk) {
                try {
                    writer.write(List.of(consumerRecord(record)), position, nextOffsets(List.of(record)));
                    position = nextOffsets(List.of(record));
                } catch (RuntimeException e) {
                    return Optional.of(new ReplayReport.Failure(record.partition(), record.offset(), record.key(),
                            "projection " + writer.projection().name(), rootMessage(e)));
                }
            }
            return Optional.of(new ReplayReport.Failure(chunk.get(0).partition(), chunk.get(0).offset(),
                    chunk.get(0).key(), "projection " + writer.projection().name(), rootMessage(batchFailed)));
        }
    }

    private static Map<Integer, Long> nextOffsets(List<LogRecord> records) {
        Map<Integer, Long> next = new HashMap<>();
        records.forEach(r -> next.merge(r.partition(), r.offset() + 1, Math::max));
        return next;
    }

    private static ConsumerRecord<String, byte[]> consumerRecord(LogRecord record) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        return new ConsumerRecord<>(TOPIC, record.partition(), record.offset(), record.timestamp(),
                TimestampType.CREATE_TIME, -1, record.value().length, record.key(), record.value(), headers,
                Optional.empty());
    }

    private static long fingerprint(byte[] value) {
        return value.length < 10 ? 0 : ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static ReplayReport failed(LogRecord record, String stage, RuntimeException e, long events, long started) {
        return new ReplayReport(false, new ReplayReport.Failure(record.partition(), record.offset(), record.key(), stage,
                rootMessage(e)), events, 0, Map.of(), Map.of(), System.currentTimeMillis() - started);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getMessage() + " (" + root + ")";
    }
}
