package dev.tally.schemas.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) in Kafka record headers. Every
 * command and every event Tally writes carries the trace of the HTTP request that caused it, so a
 * trace runs from the request through the write model to each projection's write, and a subscriber
 * may continue it with any OpenTelemetry propagator.
 */
public final class TraceHeaders {

    public static final String TRACEPARENT = "traceparent";

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key); // Kafka headers allow duplicates; a record has one trace context
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final OpenTelemetry telemetry;
    private final Tracer tracer;

    public TraceHeaders(OpenTelemetry telemetry, String instrumentation) {
        this.telemetry = telemetry;
        this.tracer = telemetry.getTracer(instrumentation);
    }

    /** Writes {@code context} into the headers (nothing when it holds no valid span). */
    public void inject(Context context, Headers headers) {
        telemetry.getPropagators().getTextMapPropagator().inject(context, headers, SETTER);
    }

    /** The trace context a record carries; {@link Context#root()} when it carries none. */
    public Context extract(Headers headers) {
        return telemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
    }

    /**
     * A consumer span for handling one record, child of the trace the record carries, or null when
     * the record carries no trace (events replayed, produced by hand, or from before tracing).
     */
    public Span startConsumerSpan(String name, Headers headers) {
        Context parent = extract(headers);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return null;
        }
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka").startSpan();
    }
}
