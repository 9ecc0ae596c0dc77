package dev.tally.command.accounts;

import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.ledger.Rejection;
import dev.tally.command.platform.CommandBus;
import dev.tally.command.platform.CommandHeaders;
import dev.tally.command.platform.CommandNotSentException;
import dev.tally.command.platform.CommandTimeoutException;
import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.problems.Problem;
import dev.tally.schemas.ConsistencyToken;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Turns a write-model result into the HTTP answer API.md promises. */
public final class CommandOutcomes {

    public static final String CONSISTENCY_TOKEN = "Consistency-Token";

    private CommandOutcomes() {
    }

    /**
     * Sends a client's account command, remembering its Idempotency-Key with the hash of the request
     * it came with, and answers with {@code success} or the problem the write model gave.
     */
    public static CompletionStage<Response> send(CommandBus bus, AccountCommand command, CommandHeaders headers,
            String endpoint, Object body, Function<CommandResult, Response.ResponseBuilder> success) {
        String key = headers.idempotencyKey();
        return send(bus, CommandMessage.from(command, key, key == null ? null : CommandHeaders.requestHash(endpoint, body)),
                success);
    }

    /** Sends the message and answers with {@code success} or the problem the write model gave. */
    public static CompletionStage<Response> send(CommandBus bus, CommandMessage message,
            Function<CommandResult, Response.ResponseBuilder> success) {
        return bus.send(message, Duration.ZERO)
                .thenApply(result -> respond(result, success))
                .exceptionally(CommandOutcomes::failed);
    }

    public static Response respond(CommandResult result, Function<CommandResult, Response.ResponseBuilder> success) {
        if (!result.accepted()) {
            return problemFor(result.rejection()).toResponse();
        }
        Response.ResponseBuilder response = success.apply(result).header(CONSISTENCY_TOKEN, tokenOf(result));
        if (result.account() != null && result.transfer() == null) {
            response.header("ETag", "\"" + result.account().version() + "\"");
        }
        if (result.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }

    /** The versions the command produced, for every account it appended to. */
    public static String tokenOf(CommandResult result) {
        Map<String, Long> versions = new LinkedHashMap<>();
        result.events().forEach(e -> versions.merge(e.accountId(), e.sequence(), Math::max));
        if (versions.isEmpty() && result.account() != null) {
            versions.put(result.account().accountId(), result.account().version());
        }
        // A repeated transfer still in flight knows no versions yet: no token rather than an empty one.
        return versions.isEmpty() ? null : new ConsistencyToken(versions).encode();
    }

    public static Response failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CommandTimeoutException timeout) {
            return Response.fromResponse(Problem.of(503, "command-timeout", timeout.getMessage()
                            + ". Retry with the same Idempotency-Key.").toResponse())
                    .header("Retry-After", "1").build();
        }
        if (cause instanceof CommandNotSentException notSent) {
            return Response.fromResponse(Problem.of(503, "command-timeout", notSent.getMessage()
                            + ". It may still be applied: retry with the same Idempotency-Key.").toResponse())
                    .header("Retry-After", "1").build();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new IllegalStateException(cause);
    }

    public static Problem problemFor(Rejection rejection) {
        if ("validation".equals(rejection.code()) && rejection.field() != null) {
            return Problem.validation(List.of(new Problem.FieldError(rejection.field(), rejection.detail())));
        }
        int status = switch (rejection.code()) {
            case "validation" -> 400;
            case "account-not-found", "hold-not-found", "transfer-not-found", "transaction-not-found" -> 404;
            case "account-exists", "transfer-exists", "hold-exists" -> 409;
            case "version-mismatch" -> 412;
            default -> 422;
        };
        return Problem.of(status, rejection.code(), rejection.detail());
    }
}
