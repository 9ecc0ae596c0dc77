package dev.tally.command.transfers;

import dev.tally.command.ledger.Rejection;
import dev.tally.command.transfers.TransferCommand.RecordRefusal;
import dev.tally.command.transfers.TransferCommand.RecordSettlement;
import dev.tally.command.transfers.TransferCommand.RequestTransfer;
import dev.tally.command.transfers.TransferState.Settled;
import dev.tally.command.transfers.TransferState.Started;
import dev.tally.command.transfers.TransferState.Unclaimed;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a transfer id, pure: one id moves money at most once, whatever the headers, the
 * time passed or the source account. The same request again hears the transfer's current outcome;
 * a different request under the same id is {@code transfer-exists} (or {@code
 * idempotency-key-reused} when it also repeats the Idempotency-Key the id was derived from).
 */
public final class TransferDecider {

    public static final TransferState INITIAL = new Unclaimed();

    /** How many repeated requests may wait on one transfer; more are answered PENDING without waiting. */
    static final int MAX_WAITING = 16;

    private TransferDecider() {
    }

    public static TransferDecision decide(String transferId, TransferCommand command, TransferState state) {
        return switch (command) {
            case RequestTransfer request -> request(transferId, request, state);
            case RecordRefusal refusal -> switch (state) {
                case Started started -> new TransferDecision.Release(answering(started), refusal.rejection());
                case Unclaimed unclaimed -> new TransferDecision.Ignore("refusal for an unclaimed id");
                case Settled settled -> new TransferDecision.Ignore("refusal after the transfer settled");
            };
            case RecordSettlement settlement -> switch (state) {
                case Started started -> new TransferDecision.Settle(new Settled(started.terms(),
                        started.idempotencyKey(), started.requestedAt(), settlement.outcome()), started.waiting());
                // Claimed before this aggregate existed (or its state was restored from an older
                // log): the settlement's own terms are the best record of the request.
                case Unclaimed unclaimed -> new TransferDecision.Settle(new Settled(settlement.terms(), null,
                        settlement.requestedAt(), settlement.outcome()), List.of());
                case Settled settled -> new TransferDecision.Ignore("settlement repeated");
            };
        };
    }

    private static TransferDecision request(String transferId, RequestTransfer request, TransferState state) {
        return switch (state) {
            case Unclaimed unclaimed -> new TransferDecision.Start(new Started(request.terms(),
                    request.idempotencyKey(), request.requestedAt(), request.commandId(), request.confinedToOwner(),
                    List.of()));
            case Started started -> {
                Rejection refused = refusal(transferId, request, started.terms(), started.idempotencyKey(),
                        started.confinedToOwner());
                if (refused != null) {
                    yield new TransferDecision.Refuse(refused);
                }
                List<String> waiting = new ArrayList<>(started.waiting());
                if (waiting.size() < MAX_WAITING) {
                    waiting.add(request.commandId());
                }
                yield new TransferDecision.Join(new Started(started.terms(), started.idempotencyKey(),
                        started.requestedAt(), started.originCommandId(), started.confinedToOwner(), waiting),
                        request.commandId());
            }
            case Settled settled -> {
                Rejection refused = refusal(transferId, request, settled.terms(), settled.idempotencyKey(),
                        settled.outcome().sourceOwner());
                yield refused != null ? new TransferDecision.Refuse(refused) : new TransferDecision.Replay(settled);
            }
        };
    }

    /**
     * Why a request under a claimed id is refused, or null when it is the same request from someone
     * allowed to hear the answer. {@code knownOwner} is the source's owner as far as this aggregate
     * knows it (null when staff claimed the id and it has not settled yet).
     */
    private static Rejection refusal(String transferId, RequestTransfer request, TransferTerms terms,
                                     String idempotencyKey, String knownOwner) {
        List<String> differences = terms.differences(request.terms());
        if (!differences.isEmpty()) {
            if (idempotencyKey != null && idempotencyKey.equals(request.idempotencyKey())) {
                return Rejection.of("idempotency-key-reused",
                        "Idempotency-Key %s was first used with a different request".formatted(idempotencyKey));
            }
            return Rejection.of("transfer-exists", "Transfer %s already exists with a different %s"
                    .formatted(transferId, String.join(", ", differences)));
        }
        String caller = request.confinedToOwner();
        if (caller != null && !caller.equals(knownOwner)) {
            // A customer hears a transfer's outcome only from its own account, exactly as the source
            // would have answered: someone else's account looks like a missing one.
            return Rejection.of("account-not-found",
                    "Account %s does not exist".formatted(request.terms().fromAccountId()));
        }
        return null;
    }

    private static List<String> answering(Started started) {
        List<String> all = new ArrayList<>();
        all.add(started.originCommandId());
        all.addAll(started.waiting());
        return all;
    }
}
