package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Topics;
import dev.tally.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A record no projection can read lands in the events topic. It is parked with its error; the same
 * account's later events park behind it, in order; other accounts keep flowing; skipping the bad
 * record lets the account's parked events through.
 */
class DeadLetterSystemTest {

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @Test
    void a_corrupt_record_is_parked_its_account_waits_behind_it_and_others_flow() throws Exception {
        String victim = open();
        String bystander = open();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                stack.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.LEDGER_EVENTS.name(), victim,
                    "this is not Avro".getBytes(StandardCharsets.UTF_8))).get();
        }
        Http.Reply parkedDeposit = http.post(stack.commandUrl() + "/accounts/" + victim + "/deposits", "{\"amount\":\"3.00\"}");
        assertEquals(201, parkedDeposit.status(), "the write side is not affected");
        Http.Reply other = http.post(stack.commandUrl() + "/accounts/" + bystander + "/deposits", "{\"amount\":\"4.00\"}");

        Http.Reply flowing = http.get(stack.queryUrl() + "/accounts/" + bystander, "Consistency-Token",
                other.header("Consistency-Token"));
        assertEquals("4.00", flowing.json().get("balance").asText(), "other accounts keep flowing");
        Http.Reply stuck = http.get(stack.queryUrl() + "/accounts/" + victim, "Consistency-Token",
                parkedDeposit.header("Consistency-Token"), "Consistency-Wait", "1500");
        assertEquals(503, stuck.status(), "the account's later event waits behind the bad one: " + stuck);

        List<JsonNode> parked = parkedOf(victim, "accounts");
        assertEquals(2, parked.size(), parked::toString);
        assertTrue(parked.get(0).get("error").asText().contains("single-object"), parked.get(0)::toString);
        assertTrue(parked.get(1).get("error").asText().contains("waits behind"), parked.get(1)::toString);
        assertEquals("FundsDeposited", parked.get(1).get("eventType").asText());
        // The gauge counts at most every 5 s, so it may take a scrape or two to show them.
        double gauge = 0;
        for (int scrape = 0; scrape < 40 && gauge < 2; scrape++) {
            gauge = Metrics.value(http.get(stack.projectionUrl() + "/q/metrics").body(), "tally_dead_letters_parked",
                    "accounts");
            Thread.sleep(gauge < 2 ? 250 : 0);
        }
        assertTrue(gauge >= 2, "the parked events show on the dead-letter gauge: " + gauge);

        Http.Reply retried = http.post(stack.projectionUrl() + "/dead-letters/" + parked.get(0).get("id").asLong() + "/retry", "");
        assertEquals(200, retried.status());
        assertEquals("PARKED", retried.json().get(0).get("status").asText(), "still unreadable, still parked");

        Http.Reply skipped = http.post(stack.projectionUrl() + "/dead-letters/" + parked.get(0).get("id").asLong() + "/skip", "");
        assertEquals(200, skipped.status(), skipped::toString);
        assertEquals(List.of("SKIPPED", "RETRIED"), List.of(skipped.json().get(0).get("status").asText(),
                skipped.json().get(1).get("status").asText()));
        Http.Reply through = http.get(stack.queryUrl() + "/accounts/" + victim, "Consistency-Token",
                parkedDeposit.header("Consistency-Token"));
        assertEquals("3.00", through.json().get("balance").asText(), through::toString);
        for (String projection : RebuildSystemTest.PROJECTIONS) {
            for (JsonNode letter : parkedOf(victim, projection)) {
                http.post(stack.projectionUrl() + "/dead-letters/" + letter.get("id").asLong() + "/skip", "");
            }
        }
    }

    private List<JsonNode> parkedOf(String accountId, String projection) throws InterruptedException {
        List<JsonNode> found = new ArrayList<>();
        for (int attempt = 0; attempt < 50 && found.size() < 2; attempt++) {
            found.clear();
            for (JsonNode letter : http.get(stack.projectionUrl() + "/dead-letters?status=PARKED").json()) {
                if (accountId.equals(letter.get("accountId").asText()) && projection.equals(letter.get("projection").asText())) {
                    found.add(letter);
                }
            }
            Thread.sleep(100);
        }
        return found;
    }

    private String open() {
        String id = "dl-" + UUID.randomUUID();
        assertEquals(201, http.post(stack.commandUrl() + "/accounts",
                "{\"accountId\":\"%s\",\"owner\":\"dl\",\"currency\":\"USD\"}".formatted(id)).status());
        return id;
    }
}
