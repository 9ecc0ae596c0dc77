package dev.tally.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.stack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A tiny JSON-over-HTTP client for the system tests: what a newcomer's curl does, in Java. Every
 * request carries a bearer token minted with the shared stack's key: by default one of a member of
 * staff ({@value #STAFF}: teller, auditor and admin), or whoever {@link #as} names.
 */
final class Http {

    /** The subject of the default token, and so the actor of what the tests do by default. */
    static final String STAFF = "system-test";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<String> authorization;

    Http() {
        this(() -> bearer(STAFF, "teller", "auditor", "admin"));
    }

    private Http(Supplier<String> authorization) {
        this.authorization = authorization;
    }

    /** A client whose requests carry a token for {@code subject} with exactly these roles. */
    static Http as(String subject, String... roles) {
        String token = bearer(subject, roles);
        return new Http(() -> token);
    }

    /** A member of staff's client for a stack of a test's own (tokens minted with that stack's key). */
    static Http staffOf(LocalStack stack) {
        return staffOf(stack, STAFF);
    }

    /** Like {@link #staffOf(LocalStack)} for another member of staff (each principal has its own rate limit). */
    static Http staffOf(LocalStack stack, String subject) {
        String token = "Bearer " + stack.tokens().mint(subject, List.of("teller", "auditor", "admin"));
        return new Http(() -> token);
    }

    /** A client that sends no token, or the given Authorization header value as it is. */
    static Http withAuthorization(String header) {
        return new Http(() -> header);
    }

    private static String bearer(String subject, String... roles) {
        return "Bearer " + SharedStack.get().tokens().mint(subject, List.of(roles));
    }

    record Reply(int status, Map<String, java.util.List<String>> headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Reply post(String url, String jsonBody, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        return send(withHeaders(request, headers));
    }

    /** Opens a USD account for owner {@code o} and fails the test unless it was opened. */
    void openAccount(String commandUrl, String id) {
        Reply opened = post(commandUrl + "/accounts", "{\"accountId\":\"" + id + "\",\"owner\":\"o\",\"currency\":\"USD\"}");
        org.junit.jupiter.api.Assertions.assertEquals(201, opened.status(), opened.body());
    }

    /** Deposits {@code amount} and fails the test unless it was deposited. */
    void deposit(String commandUrl, String id, String amount) {
        Reply deposited = post(commandUrl + "/accounts/" + id + "/deposits", "{\"amount\":\"" + amount + "\"}");
        org.junit.jupiter.api.Assertions.assertEquals(201, deposited.status(), deposited.body());
    }

    /** One client's command, sent again after the rate limit's Retry-After (one principal sends all of them). */
    Reply postPolitely(String url, String jsonBody) throws InterruptedException {
        while (true) {
            Reply reply = post(url, jsonBody);
            if (reply.status() != 429) {
                return reply;
            }
            Thread.sleep(1_000);
        }
    }

    Reply delete(String url, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).DELETE(), headers));
    }

    Reply get(String url, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET(), headers));
    }

    private HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
        String auth = authorization.get();
        if (auth != null) {
            request.header("Authorization", auth);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    /**
     * Sends the request; a 429 is retried after its {@code Retry-After}, as a well-behaved client
     * does, so that tests sending many commands as one principal are slowed down, not failed.
     */
    private Reply send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            for (int attempt = 1; ; attempt++) {
                HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
                String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                if (response.statusCode() != 429 || retryAfter == null || attempt == 5) {
                    return new Reply(response.statusCode(), response.headers().map(), response.body());
                }
                Thread.sleep(Long.parseLong(retryAfter) * 1000);
            }
        } catch (IOException e) {
            throw new AssertionError("HTTP call failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The Authorization header this client sends (for tests that build their own requests). */
    String authorization() {
        return authorization.get();
    }
}
