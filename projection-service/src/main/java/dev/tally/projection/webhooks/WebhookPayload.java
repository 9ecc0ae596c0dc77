package dev.tally.projection.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.events.AccountOpened;
import dev.tally.events.EventMeta;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The body of a delivery, in the Standard Webhooks shape {@code {type, timestamp, data}}: {@code data}
 * holds the event's envelope (event id, account, sequence, command, correlation and causation ids,
 * actor) and its facts, each {@code …Minor} amount as a decimal string in the currency's units
 * under the name without {@code Minor} ({@code amountMinor: 1050} USD → {@code amount: "10.50"}).
 * The client's idempotency key and request hash stay internal.
 */
public final class WebhookPayload {

    public static final String TEST_TYPE = "webhook.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookPayload() {
    }

    public static String of(SpecificRecord event, EventMeta meta) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", meta.getEventId());
        data.put("accountId", meta.getAccountId());
        data.put("sequence", meta.getSequence());
        data.put("occurredAt", meta.getOccurredAt().toString());
        data.put("commandId", meta.getCommandId());
        data.put("correlationId", meta.getCorrelationId());
        data.put("causationId", meta.getCausationId());
        data.put("actor", meta.getActor());
        int scale = scaleOf(event);
        for (Schema.Field field : event.getSchema().getFields()) {
            Object value = event.get(field.pos());
            if (field.name().equals("meta")) {
                continue;
            }
            if (field.name().endsWith("Minor") && value instanceof Long minor) {
                String name = field.name().substring(0, field.name().length() - "Minor".length());
                data.put(name, BigDecimal.valueOf(minor, scale).toPlainString());
            } else {
                data.put(field.name(), plain(value));
            }
        }
        return write(event.getSchema().getName(), meta.getOccurredAt().toString(), data);
    }

    /** What {@code POST /webhooks/{id}/test} sends. */
    public static String test(String subscriptionId, Instant at) {
        return write(TEST_TYPE, at.toString(), Map.<String, Object>of("subscriptionId", subscriptionId, "message", "A test delivery from Tally"));
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, String> copy = new TreeMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), String.valueOf(v)));
            return copy;
        }
        return String.valueOf(value); // strings, instants (ISO-8601), enums
    }

    private static int scaleOf(SpecificRecord event) {
        if (event instanceof AccountOpened opened) {
            return opened.getScale();
        }
        Schema.Field currency = event.getSchema().getField("currency");
        if (currency == null) {
            return 0;
        }
        String code = String.valueOf(event.get(currency.pos()));
        if (code.equals("CREDITS")) {
            return 0;
        }
        try {
            return Math.max(0, Currency.getInstance(code).getDefaultFractionDigits());
        } catch (IllegalArgumentException unknown) {
            return 0;
        }
    }

    private static String write(String type, String timestamp, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", timestamp);
        body.put("data", data);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
