package dev.tally.projection.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
import dev.tally.projection.GivenEvents;
import dev.tally.projection.runner.ProjectedEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final GivenEvents alice = new GivenEvents("alice-1");
    private final Instant at = Instant.parse("2026-12-04T10:15:30.123456Z");

    @Test
    void a_deposit_is_type_timestamp_and_data_with_amounts_as_decimal_strings_and_its_ids() throws Exception {
        ProjectedEvent deposit = alice.deposited(2, 1050, 3099, at);
        JsonNode body = JSON.readTree(WebhookPayload.of(deposit.event(), deposit.meta()));
        assertEquals("FundsDeposited", body.get("type").asText());
        assertEquals("2026-12-04T10:15:30.123456Z", body.get("timestamp").asText());
        JsonNode data = body.get("data");
        assertEquals("10.50", data.get("amount").asText());
        assertEquals("30.99", data.get("balanceAfter").asText());
        assertEquals("USD", data.get("currency").asText());
        assertEquals("alice-1", data.get("accountId").asText());
        assertEquals(2, data.get("sequence").asLong());
        assertEquals("alice-1-e2", data.get("eventId").asText());
        assertEquals("c-2", data.get("commandId").asText());
        assertEquals("corr-2", data.get("correlationId").asText());
        assertEquals("teller", data.get("actor").asText());
        assertFalse(data.has("amountMinor"));
        assertFalse(data.has("idempotencyKey"), "the client's key stays internal");
        assertFalse(data.has("requestHash"));
    }

    @Test
    void the_scale_follows_the_currency_and_credits_have_none() throws Exception {
        FundsWithdrawn yen = FundsWithdrawn.newBuilder().setMeta(alice.meta(3, at)).setTransactionId("t").setAmountMinor(500)
                .setCurrency("JPY").setBalanceAfterMinor(-7).setReference("rent ünïcödé").setMetadata(Map.of("k", "v")).build();
        JsonNode data = JSON.readTree(WebhookPayload.of(yen, yen.getMeta())).get("data");
        assertEquals("500", data.get("amount").asText());
        assertEquals("-7", data.get("balanceAfter").asText());
        assertEquals("rent ünïcödé", data.get("reference").asText());
        assertEquals("v", data.get("metadata").get("k").asText());
        FundsDeposited dinar = FundsDeposited.newBuilder().setMeta(alice.meta(4, at)).setTransactionId("t").setAmountMinor(1)
                .setCurrency("BHD").setBalanceAfterMinor(1001).setReference(null).setMetadata(Map.of()).build();
        data = JSON.readTree(WebhookPayload.of(dinar, dinar.getMeta())).get("data");
        assertEquals("0.001", data.get("amount").asText());
        assertEquals("1.001", data.get("balanceAfter").asText());
        FundsDeposited credits = FundsDeposited.newBuilder().setMeta(alice.meta(5, at)).setTransactionId("t").setAmountMinor(42)
                .setCurrency("CREDITS").setBalanceAfterMinor(42).setReference(null).setMetadata(Map.of()).build();
        assertEquals("42", JSON.readTree(WebhookPayload.of(credits, credits.getMeta())).get("data").get("amount").asText());
    }
}
