package dev.tally.projection.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.projection.audit.AuditProjection;
import dev.tally.projection.runner.LogOf;
import dev.tally.projection.runner.ProjectionRunner;
import dev.tally.projection.runner.TestDatabase;
import dev.tally.schemas.Topics;
import dev.tally.schemas.tracing.TraceHeaders;
import dev.tally.stack.KafkaBroker;
import dev.tally.stack.StackSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rebuild never dies silently (issue 11, 5), with the faults injected into a real PostgreSQL: a
 * trigger that PostgreSQL itself installs on the rebuild's fresh checkpoint table as the rebuild
 * creates it, raising the SQLSTATE the test chooses. A transient one (40001) is retried until it
 * clears; a lasting one (42501, the table is not writable) ends the rebuild FAILED with its reason,
 * which turns the rebuilds health check DOWN, and leaves the live table as it was.
 */
class RebuildFaultTest {

    private static KafkaBroker kafka;
    private static Map<String, Object> connection;

    private ProjectionRunner live;
    private Thread liveThread;

    @BeforeAll
    static void startKafkaAndArmTheFault() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-");
        StackSettings ports = StackSettings.onFreePorts(Path.of(".."), dir);
        kafka = KafkaBroker.start(dir.resolve("kafka"), ports.kafkaPort(), ports.kafkaControllerPort(),
                dir.resolve("kafka.log"));
        connection = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(connection)) {
            admin.createTopics(List.of(new NewTopic(Topics.LEDGER_EVENTS.name(), 2, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        publish(history());
        TestDatabase.sql("create table if not exists injected_faults (sqlstate text not null)");
        TestDatabase.sql("""
                create or replace function injected_fault() returns trigger language plpgsql as $$
                declare state text;
                begin
                  select sqlstate into state from public.injected_faults limit 1;
                  if state is not null then
                    raise exception 'injected fault %', state using errcode = state;
                  end if;
                  return new;
                end $$""");
        TestDatabase.sql("""
                create or replace function arm_rebuild_checkpoints() returns event_trigger language plpgsql as $$
                declare created record;
                begin
                  for created in select * from pg_event_trigger_ddl_commands() loop
                    if created.object_identity like 'rebuild\\_%.projection_checkpoints' then
                      execute format('create trigger injected_fault before insert or update on %s '
                          || 'for each row execute function public.injected_fault()', created.object_identity);
                    end if;
                  end loop;
                end $$""");
        TestDatabase.sql("drop event trigger if exists arm_rebuild_checkpoints");
        TestDatabase.sql("create event trigger arm_rebuild_checkpoints on ddl_command_end when tag in ('CREATE TABLE')"
                + " execute function arm_rebuild_checkpoints()");
    }

    @AfterAll
    static void disarmAndStopKafka() {
        TestDatabase.sql("drop event trigger if exists arm_rebuild_checkpoints");
        TestDatabase.sql("drop table if exists injected_faults");
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void liveRunnerCaughtUp() throws Exception {
        TestDatabase.truncateAll();
        TestDatabase.sql("delete from injected_faults");
        live = new ProjectionRunner(new AuditProjection(), TestDatabase.dataSource(), connection, 100,
                "rebuild-fault-test", new SimpleMeterRegistry(), new TraceHeaders(OpenTelemetry.noop(), "test"));
        liveThread = Thread.ofPlatform().name("live-audit").start(live);
        await(() -> TestDatabase.rows("select count(*) as n from audit_log").get(0).get("n").equals("6"),
                "the live runner applies the six events");
    }

    @AfterEach
    void stopLiveRunner() throws InterruptedException {
        live.stop();
        liveThread.join(10_000);
    }

    @Test
    void a_transient_failure_is_retried_and_shown_then_the_rebuild_completes() throws Exception {
        TestDatabase.sql("insert into injected_faults values ('40001')");
        RebuildRun run = start();

        await(() -> String.valueOf(run.progress().error()).contains("attempt"), "the rebuild reports its retries");
        RebuildProgress retrying = run.progress();
        assertTrue(run.isRunning(), retrying::toString);
        assertTrue(retrying.error().contains(" of 8 failed, retrying") && retrying.error().contains("injected fault 40001"),
                retrying.error());
        TestDatabase.sql("delete from injected_faults");

        await(() -> !run.isRunning(), "the rebuild ends");
        assertEquals("DONE", run.progress().status(), run.progress()::toString);
        assertEquals(HealthCheckResponse.Status.UP, RebuildsHealth.of(List.of(run.progress())).getStatus());
        assertEquals("6", TestDatabase.rows("select count(*) as n from audit_log").get(0).get("n"));
    }

    @Test
    void a_lasting_failure_ends_the_rebuild_failed_with_its_reason_and_turns_health_down() throws Exception {
        List<Map<String, String>> before = TestDatabase.rows("select event_id from audit_log order by event_id");
        TestDatabase.sql("insert into injected_faults values ('42501')");
        RebuildRun run = start();

        await(() -> !run.isRunning(), "the rebuild ends");
        RebuildProgress failed = run.progress();
        assertEquals("FAILED", failed.status(), failed::toString);
        assertTrue(failed.error().contains("injected fault 42501"), failed.error()); // the database's own reason
        assertTrue(failed.finishedAt() != null, failed::toString);
        HealthCheckResponse health = RebuildsHealth.of(List.of(failed));
        assertEquals(HealthCheckResponse.Status.DOWN, health.getStatus());
        assertTrue(String.valueOf(health.getData().orElseThrow().get("audit")).startsWith("FAILED: "), health.getData()::toString);
        // The live table was left as it was, its runner resumed, and the fresh copy was dropped.
        assertEquals(before, TestDatabase.rows("select event_id from audit_log order by event_id"));
        assertEquals(List.of(), TestDatabase.rows("select nspname from pg_namespace where nspname = 'rebuild_audit'"));
        assertTrue(liveThread.isAlive(), "the live runner goes on");
    }

    private RebuildRun start() {
        RebuildRun run = new RebuildRun(new AuditProjection(), live, TestDatabase.dataSource(), connection, 2);
        Thread.ofPlatform().name("rebuild-audit").daemon().start(run);
        return run;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(100);
        }
    }

    private static void publish(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                "bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> record : records) {
                producer.send(new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value(),
                        record.headers())).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Two accounts, one per partition: opened, then two deposits each. */
    private static List<ConsumerRecord<String, byte[]>> history() {
        LogOf log = new LogOf();
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            String account = "acc-" + partition;
            records.addAll(log.append(partition, opened(account), deposit(account, 2, 100), deposit(account, 3, 200)));
        }
        return records;
    }

    private static EventMeta meta(String account, long sequence) {
        return EventMeta.newBuilder().setEventId(account + "-e" + sequence).setAccountId(account).setSequence(sequence)
                .setOccurredAt(Instant.parse("2026-11-22T08:00:00Z")).setCommandId(account + "-c" + sequence)
                .setCorrelationId("c" + sequence).setCausationId(null).setActor("teller").setIdempotencyKey(null)
                .setRequestHash(null).build();
    }

    private static SpecificRecord opened(String account) {
        return AccountOpened.newBuilder().setMeta(meta(account, 1)).setOwner("alice").setCurrency("USD").setScale(2)
                .setOverdraftLimitMinor(0).setMetadata(Map.of()).build();
    }

    private static SpecificRecord deposit(String account, long sequence, long balanceAfter) {
        return FundsDeposited.newBuilder().setMeta(meta(account, sequence)).setTransactionId("t" + sequence)
                .setAmountMinor(100).setCurrency("USD").setBalanceAfterMinor(balanceAfter).setReference(null)
                .setMetadata(Map.of()).build();
    }
}
