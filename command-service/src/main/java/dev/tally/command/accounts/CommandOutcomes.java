package dev.tally.command.accounts;

import dev.tally.command.ledger.Rejection;
import dev.tally.command.platform.CommandTimeoutException;
import dev.tally.command.platform.Problem;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.schemas.ConsistencyToken;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** Turns a write-model result into the HTTP answer API.md promises. */
final class CommandOutcomes {

    static final String CONSISTENCY_TOKEN = "Consistency-Token";

    private CommandOutcomes() {
    }

    static Response respond(CommandResult result, Function<CommandResult, Response.ResponseBuilder> success) {
        if (!result.accepted()) {
            return problemFor(result.rejection()).toResponse();
        }
        return success.apply(result)
                .header(CONSISTENCY_TOKEN, tokenOf(result))
                .header("ETag", "\"" + result.account().version() + "\"")
                .build();
    }

    static String tokenOf(CommandResult result) {
        return ConsistencyToken.of(result.account().accountId(), result.account().version()).encode();
    }

    static Response failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CommandTimeoutException timeout) {
            return Response.fromResponse(Problem.of(503, "command-timeout", timeout.getMessage()).toResponse())
                    .header("Retry-After", "1").build();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new IllegalStateException(cause);
    }

    static Problem problemFor(Rejection rejection) {
        if ("validation".equals(rejection.code())) {
            return Problem.validation(List.of(new Problem.FieldError(rejection.field(), rejection.detail())));
        }
        int status = switch (rejection.code()) {
            case "account-not-found" -> 404;
            case "account-exists" -> 409;
            case "version-mismatch" -> 412;
            default -> 422;
        };
        return Problem.of(status, rejection.code(), rejection.detail());
    }
}
