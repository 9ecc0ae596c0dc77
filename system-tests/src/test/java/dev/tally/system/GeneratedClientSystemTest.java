package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.client.command.ApiClient;
import dev.tally.client.command.ApiException;
import dev.tally.client.command.api.AccountsApi;
import dev.tally.client.command.model.AccountAnswer;
import dev.tally.client.command.model.MoneyMovementRequest;
import dev.tally.client.command.model.MovementResponse;
import dev.tally.client.command.model.OpenAccountRequest;
import dev.tally.client.command.model.Problem;
import dev.tally.stack.LocalStack;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A client generated from the checked-in {@code docs/openapi/command-service.yaml} (by
 * openapi-generator's Maven plugin, into {@code target/generated-test-sources}; see this module's
 * pom) works against the running command service as the document says: typed answers, the bearer
 * token the document requires, and problem+json errors. A document that stops describing the
 * service breaks the generation, the compilation or this test.
 */
class GeneratedClientSystemTest {

    private final LocalStack stack = SharedStack.get();

    private AccountsApi accounts(List<String> roles) {
        String token = "Bearer " + stack.tokens().mint("generated-client", roles);
        ApiClient client = new ApiClient();
        client.updateBaseUri(stack.commandUrl());
        client.setRequestInterceptor(request -> request.header("Authorization", token));
        return new AccountsApi(client);
    }

    @Test
    void a_generated_client_opens_an_account_and_deposits() throws ApiException {
        AccountsApi teller = accounts(List.of("teller"));
        String id = "gen-" + UUID.randomUUID().toString().substring(0, 8);

        AccountAnswer opened = teller.openAccount(new OpenAccountRequest().accountId(id).owner("gen").currency("USD"),
                null, null, null);
        MovementResponse deposited = teller.depositFunds(id, new MoneyMovementRequest().amount("30.00"),
                null, "deposit-" + id, null);

        assertEquals(id, opened.getAccountId());
        assertEquals(AccountAnswer.StatusEnum.OPEN, opened.getStatus());
        assertEquals("0.00", opened.getBalance());
        assertEquals(1L, opened.getVersion());
        assertNotNull(opened.getOpenedAt());
        assertEquals(id, deposited.getAccountId());
        assertEquals("30.00", deposited.getAmount());
        assertEquals("30.00", deposited.getBalance());
        assertEquals(2L, deposited.getVersion());
        assertNotNull(deposited.getConsistencyToken());
    }

    @Test
    void its_errors_are_the_documented_problems() throws Exception {
        AccountsApi teller = accounts(List.of("teller"));

        ApiException missing = assertThrows(ApiException.class, () -> teller.depositFunds(
                "gen-nobody-" + UUID.randomUUID(), new MoneyMovementRequest().amount("1.00"), null, null, null));
        ApiException auditor = assertThrows(ApiException.class, () -> accounts(List.of("auditor")).openAccount(
                new OpenAccountRequest().owner("gen").currency("USD"), null, null, null));

        assertEquals(404, missing.getCode(), missing::getResponseBody);
        assertEquals("account-not-found", problemOf(missing).getCode());
        assertEquals(403, auditor.getCode(), auditor::getResponseBody);
        assertEquals("forbidden", problemOf(auditor).getCode());
    }

    private static Problem problemOf(ApiException e) throws Exception {
        ObjectMapper json = ApiClient.createDefaultObjectMapper();
        return json.readValue(e.getResponseBody(), Problem.class);
    }
}
