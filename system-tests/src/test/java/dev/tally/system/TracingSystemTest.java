package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.stack.LocalStack;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * One trace from the HTTP command to the projections' writes: the client's {@code traceparent}
 * is continued by command-service's HTTP span, carried in the command's and the event's Kafka
 * headers, and the write model's and each projection's spans hang under it. The services export to
 * {@link OtlpReceiver}, as they would to a collector.
 */
class TracingSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final OtlpReceiver traces = SharedStack.traces();
    private final Http http = new Http();

    @Test
    void a_deposit_is_one_trace_from_the_http_request_to_every_projection_write() {
        String id = open();
        String traceId = hex(16);
        String clientSpan = hex(8);
        Http.Reply deposit = http.post(stack.commandUrl() + "/accounts/" + id + "/deposits", "{\"amount\":\"5.00\"}",
                "traceparent", "00-" + traceId + "-" + clientSpan + "-01");
        assertEquals(201, deposit.status(), deposit::toString);

        // The event on the topic carries the trace on, for the projections and any subscriber.
        ConsumerRecord<String, byte[]> event = LedgerLog.records(stack.bootstrapServers()).stream()
                .filter(r -> r.key().equals(id)).reduce((first, second) -> second).orElseThrow();
        Header traceparent = event.headers().lastHeader("traceparent");
        assertNotNull(traceparent, "the FundsDeposited record has a traceparent header");
        assertTrue(new String(traceparent.value(), StandardCharsets.UTF_8).startsWith("00-" + traceId + "-"));

        OtlpReceiver.ReceivedSpan http = await(traceId, s -> s.service().equals("tally-command-service")
                && s.kind() == SpanKind.SPAN_KIND_SERVER, "command-service's HTTP span");
        assertEquals(clientSpan, http.parentSpanId(), "the HTTP span continues the client's trace");
        OtlpReceiver.ReceivedSpan decide = await(traceId, s -> s.name().equals("tally.command DEPOSIT"),
                "the write model's span");
        assertEquals("tally-command-service", decide.service());
        assertEquals(http.spanId(), decide.parentSpanId(), "the write model continues the HTTP span");
        for (String projection : List.of("accounts", "statements", "account-history", "daily-balances", "audit")) {
            OtlpReceiver.ReceivedSpan write = await(traceId, s -> s.name().equals("tally.project " + projection),
                    projection + "'s write");
            assertEquals("tally-projection-service", write.service());
            assertEquals(decide.spanId(), write.parentSpanId(), projection + " writes under the write model's span");
        }
    }

    @Test
    void every_step_of_a_transfer_saga_stays_in_the_trace_of_the_request_that_started_it() {
        String from = open();
        String to = open();
        http.post(stack.commandUrl() + "/accounts/" + from + "/deposits", "{\"amount\":\"5.00\"}");
        String traceId = hex(16);
        Http.Reply transfer = http.post(stack.commandUrl() + "/transfers", """
                {"fromAccountId":"%s","toAccountId":"%s","amount":"2.00"}""".formatted(from, to),
                "traceparent", "00-" + traceId + "-" + hex(8) + "-01");
        assertEquals(201, transfer.status(), transfer::toString);

        OtlpReceiver.ReceivedSpan send = await(traceId, s -> s.name().equals("tally.command SEND_TRANSFER"), "debit");
        OtlpReceiver.ReceivedSpan receive = await(traceId, s -> s.name().equals("tally.command RECEIVE_TRANSFER"), "credit");
        OtlpReceiver.ReceivedSpan complete = await(traceId, s -> s.name().equals("tally.command COMPLETE_TRANSFER"),
                "completion");
        assertEquals(send.spanId(), receive.parentSpanId(), "the credit step is caused by the debit");
        assertEquals(receive.spanId(), complete.parentSpanId(), "the completion is caused by the credit");
        await(traceId, s -> s.name().equals("tally.project transfers"), "the transfers projection's write");
    }

    private OtlpReceiver.ReceivedSpan await(String traceId, Predicate<OtlpReceiver.ReceivedSpan> which, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<OtlpReceiver.ReceivedSpan> found = traces.trace(traceId).stream().filter(which).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no span for " + what + " in trace " + traceId + "; got " + traces.trace(traceId));
    }

    private String open() {
        String id = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Reply opened = http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"" + id + "\",\"owner\":\"" + id + "\",\"currency\":\"USD\"}");
        assertEquals(201, opened.status(), opened::toString);
        return id;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros, which W3C trace context treats as invalid
        return HexFormat.of().formatHex(random);
    }
}
