package dev.tally.command.subjects;

import dev.tally.command.accounts.CommandOutcomes;
import dev.tally.command.accounts.RequestValidation;
import dev.tally.command.ledger.AccountCommand;
import dev.tally.command.platform.CommandBus;
import dev.tally.command.platform.CommandHeaderParams;
import dev.tally.command.platform.CommandHeaders;
import dev.tally.command.writemodel.AccountDirectory;
import dev.tally.command.writemodel.CommandMessage;
import dev.tally.command.writemodel.CommandResult;
import dev.tally.problems.Problem;
import dev.tally.problems.ProblemException;
import dev.tally.security.Caller;
import dev.tally.security.CurrentCaller;
import dev.tally.security.Role;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Forgetting a data subject (issue 16): every account the owner has gets a ForgetSubject command,
 * which destroys that account's personal-data key and appends SubjectForgotten. The accounts are
 * found in the account directory. Asking again is safe: accounts already forgotten answer as such
 * and append nothing, and an account opened since is forgotten too.
 */
@Path("/subjects")
@Tag(name = "subjects", description = "Forget a data subject (the owner of accounts)")
@Produces(MediaType.APPLICATION_JSON)
public class SubjectResource {

    private static final Logger LOG = Logger.getLogger(SubjectResource.class);

    private final CommandBus bus;
    private final CurrentCaller caller;
    private final KafkaStreams streams;
    private final Clock clock = Clock.systemUTC();

    SubjectResource(CommandBus bus, CurrentCaller caller, KafkaStreams streams) {
        this.bus = bus;
        this.caller = caller;
        this.streams = streams;
    }

    /** What became of one of the subject's accounts. */
    public record AccountOutcome(String accountId,
                                 @Schema(enumeration = {"FORGOTTEN", "ALREADY_FORGOTTEN", "REFUSED"}) String outcome,
                                 long version, String detail) {
    }

    public record ForgetAnswer(String owner, Instant forgottenAt, List<AccountOutcome> accounts) {
    }

    @POST
    @Path("/{owner}/forget")
    @Operation(operationId = "forgetSubject", summary = "Forget a data subject: destroy the keys of its personal data (admins)")
    @APIResponse(responseCode = "200", description = "Each of the owner's accounts, forgotten now or before",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ForgetAnswer.class)))
    @APIResponse(responseCode = "404", description = "`subject-not-found`: no account has this owner")
    @APIResponse(responseCode = "503", description = "`command-timeout` or `not-ready`: retry; forgetting twice is safe")
    public CompletionStage<Response> forget(@PathParam("owner") String owner,
                                            @BeanParam CommandHeaderParams headerParams) {
        Caller who = caller.get().require("forget a data subject", Role.ADMIN);
        CommandHeaders headers = headerParams.validated(who);
        new RequestValidation().text("owner", owner, true).orThrow();
        List<String> accountIds = accountsOf(owner);
        if (accountIds.isEmpty()) {
            throw new ProblemException(Problem.of(404, "subject-not-found", "No account has the owner " + owner));
        }
        Instant now = clock.instant();
        // Ids only: the owner is an opaque id by rule, and nothing personal may reach a log.
        LOG.infof("Forgetting subject %s (%d account(s)), asked by %s", owner, accountIds.size(), who.subject());
        List<CompletableFuture<AccountOutcome>> outcomes = accountIds.stream()
                .map(accountId -> bus.send(CommandMessage.from(new AccountCommand.ForgetSubject(
                                headers.context(accountId, now), owner), null, null), Duration.ZERO)
                        .thenApply(result -> outcomeOf(accountId, result)).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(done -> Response.ok(new ForgetAnswer(owner, now,
                        outcomes.stream().map(CompletableFuture::join).toList())).build())
                .exceptionally(CommandOutcomes::failed);
    }

    private List<String> accountsOf(String owner) {
        try {
            return AccountDirectory.accountsOf(streams, owner).stream().sorted().toList();
        } catch (InvalidStateStoreException starting) {
            throw new ProblemException(Problem.of(503, "not-ready", "The write model is starting; retry shortly"));
        }
    }

    private static AccountOutcome outcomeOf(String accountId, CommandResult result) {
        if (!result.accepted()) {
            return new AccountOutcome(accountId, "REFUSED", 0, result.rejection().detail());
        }
        long version = result.account() == null ? 0 : result.account().version();
        return new AccountOutcome(accountId, result.events().isEmpty() ? "ALREADY_FORGOTTEN" : "FORGOTTEN", version,
                null);
    }
}
