package dev.tally.command.transfers;

import dev.tally.command.ledger.Rejection;
import dev.tally.command.transfers.TransferCommand.RecordRefusal;
import dev.tally.command.transfers.TransferCommand.RecordReservation;
import dev.tally.command.transfers.TransferCommand.RecordSettlement;
import dev.tally.command.transfers.TransferCommand.RequestPost;
import dev.tally.command.transfers.TransferCommand.RequestTransfer;
import dev.tally.command.transfers.TransferCommand.RequestVoid;
import dev.tally.command.transfers.TransferState.Action;
import dev.tally.command.transfers.TransferState.Reserved;
import dev.tally.command.transfers.TransferState.Resolving;
import dev.tally.command.transfers.TransferState.Settled;
import dev.tally.command.transfers.TransferState.Started;
import dev.tally.command.transfers.TransferState.Unclaimed;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules of a transfer id, pure: one id moves money at most once, whatever the headers, the
 * time passed or the source account. The same request again hears the transfer's current outcome;
 * a different request under the same id is {@code transfer-exists} (or {@code
 * idempotency-key-reused} when it also repeats the Idempotency-Key the id was derived from).
 *
 * <p>A two-phase transfer stops at {@link Reserved} until a client posts or voids it, or its
 * source expires it. Posting and voiding are idempotent: the same request again hears where the
 * transfer stands; a request the transfer can no longer follow (post after void, void after post)
 * is {@code transfer-not-reserved}.
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
            case RequestPost post -> post(transferId, post, state);
            case RequestVoid voiding -> voiding(transferId, voiding, state);
            case RecordRefusal refusal -> switch (state) {
                case Started started -> new TransferDecision.Release(answering(started.originCommandId(),
                        started.waiting()), refusal.rejection());
                // The source refused a post or void (frozen, an amount over the reservation): still reserved.
                case Resolving resolving -> new TransferDecision.Reopen(resolving.reserved(),
                        answering(resolving.originCommandId(), resolving.waiting()), refusal.rejection());
                case Unclaimed unclaimed -> new TransferDecision.Ignore("refusal for an unclaimed id");
                case Reserved reserved -> new TransferDecision.Ignore("refusal while reserved");
                case Settled settled -> new TransferDecision.Ignore("refusal after the transfer settled");
            };
            case RecordReservation reservation -> switch (state) {
                case Started started -> new TransferDecision.Reserve(new Reserved(started.terms(),
                        started.idempotencyKey(), started.requestedAt(), reservation.reservation()), started.waiting());
                case Unclaimed unclaimed -> new TransferDecision.Reserve(new Reserved(reservation.terms(), null,
                        reservation.requestedAt(), reservation.reservation()), List.of());
                case Reserved reserved -> new TransferDecision.Ignore("reservation repeated");
                case Resolving resolving -> new TransferDecision.Ignore("reservation repeated");
                case Settled settled -> new TransferDecision.Ignore("reservation after the transfer settled");
            };
            case RecordSettlement settlement -> settle(settlement, state);
            case TransferCommand.RequestReversal reversal -> reversal(transferId, reversal, state);
            case TransferCommand.RecordReversal ended -> state instanceof Settled settled
                    ? new TransferDecision.RecordReversal(settled.with(settled.reversals().ended(ended.reversalId(),
                            ended.completed(), ended.amountMinor())))
                    : new TransferDecision.Ignore("a reversal's end for a transfer that is not settled");
        };
    }

    /**
     * A reversal moves (part of) a completed transfer back as a new transfer, from the original's
     * target to its source. What may still be reversed counts the reversals on their way too, so
     * two at once cannot both take the last of it; the new transfer's own id then decides like
     * any transfer's (the target may no longer hold the money: {@code insufficient-funds}).
     */
    private static TransferDecision reversal(String transferId, TransferCommand.RequestReversal request,
                                             TransferState state) {
        if (!(state instanceof Settled settled)) {
            return new TransferDecision.Refuse(state instanceof Unclaimed ? notFound(transferId)
                    : notReversible(transferId, "is not completed yet"));
        }
        TransferOutcome outcome = settled.outcome();
        if (!"COMPLETED".equals(outcome.status())) {
            return new TransferDecision.Refuse(notReversible(transferId, "is " + outcome.status()
                    + "; only a completed transfer can be reversed"));
        }
        TransferState.Reversals reversals = settled.reversals();
        Long known = reversals.completed().getOrDefault(request.reversalId(), reversals.pending().get(request.reversalId()));
        long amountMinor;
        if (request.amount() != null) {
            Long parsed = minorUnits(request.amount(), outcome.scale());
            if (parsed == null) {
                return new TransferDecision.Refuse(Rejection.validation("amount",
                        "must be a positive amount with at most %d decimals".formatted(outcome.scale())));
            }
            amountMinor = parsed;
        } else {
            amountMinor = known != null ? known : outcome.amountMinor() - reversals.committedMinor();
        }
        TransferTerms terms = settled.terms();
        TransferTerms reversal = new TransferTerms(terms.toAccountId(), terms.fromAccountId(),
                BigDecimal.valueOf(amountMinor, outcome.scale()).toPlainString(), request.reason(), Map.of(), false,
                transferId);
        if (known != null) {
            return new TransferDecision.ForwardReversal(request.reversalId(), reversal);
        }
        long left = outcome.amountMinor() - reversals.committedMinor();
        if (left <= 0) {
            return new TransferDecision.Refuse(notReversible(transferId, "is reversed in full already"));
        }
        if (amountMinor > left) {
            return new TransferDecision.Refuse(notReversible(transferId, "has only %s of %s left to reverse".formatted(
                    BigDecimal.valueOf(left, outcome.scale()).toPlainString(),
                    BigDecimal.valueOf(outcome.amountMinor(), outcome.scale()).toPlainString())));
        }
        return new TransferDecision.StartReversal(settled.with(reversals.started(request.reversalId(), amountMinor)),
                request.reversalId(), reversal);
    }

    /** A positive decimal with at most {@code scale} decimals, in minor units; null when it is not one. */
    private static Long minorUnits(String amount, int scale) {
        try {
            BigDecimal value = new BigDecimal(amount);
            if (value.signum() <= 0 || value.scale() > scale && value.stripTrailingZeros().scale() > scale) {
                return null;
            }
            return value.movePointRight(scale).longValueExact();
        } catch (NumberFormatException | ArithmeticException notAnAmount) {
            return null;
        }
    }

    private static Rejection notReversible(String transferId, String why) {
        return Rejection.of("transfer-not-reversible", "Transfer %s %s".formatted(transferId, why));
    }

    private static TransferDecision settle(RecordSettlement settlement, TransferState state) {
        TransferOutcome outcome = settlement.outcome();
        return switch (state) {
            case Started started -> new TransferDecision.Settle(new Settled(started.terms(),
                    started.idempotencyKey(), started.requestedAt(), outcome), started.waiting());
            // Expired while nobody asked anything of it.
            case Reserved reserved -> new TransferDecision.Settle(settled(reserved, outcome), List.of());
            case Resolving resolving -> {
                // A post that moved money was answered by its saga, as any transfer is. Everyone
                // else hears the transfer as it now stands, here: a void's client, and a client
                // whose post or void came after the reservation expired (the source refuses
                // that request later, and the refusal is ignored).
                boolean answeredBySaga = resolving.action() == Action.POST && !outcome.voided();
                yield new TransferDecision.Settle(settled(resolving.reserved(), outcome), answeredBySaga
                        ? resolving.waiting() : answering(resolving.originCommandId(), resolving.waiting()));
            }
            // Claimed before this aggregate existed (or its state was restored from an older
            // log): the settlement's own terms are the best record of the request.
            case Unclaimed unclaimed -> new TransferDecision.Settle(new Settled(settlement.terms(), null,
                    settlement.requestedAt(), outcome), List.of());
            case Settled settled -> new TransferDecision.Ignore("settlement repeated");
        };
    }

    private static Settled settled(Reserved reserved, TransferOutcome outcome) {
        return new Settled(reserved.terms(), reserved.idempotencyKey(), reserved.requestedAt(),
                outcome.expiringAt(reserved.reservation().expiresAt()));
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
            case Reserved reserved -> replayOrRefuse(transferId, request, reserved);
            case Resolving resolving -> replayOrRefuse(transferId, request, resolving.reserved());
            case Settled settled -> {
                Rejection refused = refusal(transferId, request, settled.terms(), settled.idempotencyKey(),
                        settled.outcome().sourceOwner());
                yield refused != null ? new TransferDecision.Refuse(refused)
                        : new TransferDecision.Replay(settled.terms(), settled.requestedAt(), settled.outcome());
            }
        };
    }

    private static TransferDecision replayOrRefuse(String transferId, RequestTransfer request, Reserved reserved) {
        Rejection refused = refusal(transferId, request, reserved.terms(), reserved.idempotencyKey(),
                reserved.reservation().sourceOwner());
        return refused != null ? new TransferDecision.Refuse(refused)
                : new TransferDecision.Replay(reserved.terms(), reserved.requestedAt(), reserved.reservation());
    }

    private static TransferDecision post(String transferId, RequestPost post, TransferState state) {
        if (hidden(state, post.confinedToOwner())) {
            return new TransferDecision.Refuse(notFound(transferId));
        }
        return switch (state) {
            case Unclaimed unclaimed -> new TransferDecision.Refuse(notFound(transferId));
            case Started started -> new TransferDecision.Refuse(notReserved(transferId, started.terms().twoPhase()
                    ? "is still being reserved; try again in a moment" : "is not a two-phase transfer"));
            case Reserved reserved -> new TransferDecision.Resolve(new Resolving(reserved, Action.POST, post.amount(),
                    post.commandId(), List.of()));
            case Resolving resolving -> resolving.action() == Action.POST
                    && sameAmount(resolving.argument(), post.amount())
                    ? join(resolving, post.commandId())
                    : new TransferDecision.Refuse(notReserved(transferId, resolving.action() == Action.POST
                            ? "is being posted with another amount" : "is being voided"));
            case Settled settled -> {
                if (!settled.terms().twoPhase()) {
                    yield new TransferDecision.Refuse(notReserved(transferId, "is not a two-phase transfer"));
                }
                TransferOutcome outcome = settled.outcome();
                if (outcome.voided()) {
                    yield new TransferDecision.Refuse(notReserved(transferId, "is " + outcome.status()));
                }
                yield post.amount() == null || sameAmount(post.amount(), outcome)
                        ? new TransferDecision.Replay(settled.terms(), settled.requestedAt(), outcome)
                        : new TransferDecision.Refuse(notReserved(transferId, "was already posted with another amount"));
            }
        };
    }

    private static TransferDecision voiding(String transferId, RequestVoid voiding, TransferState state) {
        if (hidden(state, voiding.confinedToOwner())) {
            return new TransferDecision.Refuse(notFound(transferId));
        }
        return switch (state) {
            case Unclaimed unclaimed -> new TransferDecision.Refuse(notFound(transferId));
            case Started started -> new TransferDecision.Refuse(notReserved(transferId, started.terms().twoPhase()
                    ? "is still being reserved; try again in a moment" : "is not a two-phase transfer"));
            case Reserved reserved -> new TransferDecision.Resolve(new Resolving(reserved, Action.VOID,
                    voiding.reason(), voiding.commandId(), List.of()));
            case Resolving resolving -> resolving.action() == Action.VOID ? join(resolving, voiding.commandId())
                    : new TransferDecision.Refuse(notReserved(transferId, "is being posted"));
            case Settled settled -> !settled.terms().twoPhase()
                    ? new TransferDecision.Refuse(notReserved(transferId, "is not a two-phase transfer"))
                    : settled.outcome().voided()
                    ? new TransferDecision.Replay(settled.terms(), settled.requestedAt(), settled.outcome())
                    : new TransferDecision.Refuse(notReserved(transferId, "was already posted"));
        };
    }

    private static TransferDecision join(Resolving resolving, String commandId) {
        List<String> waiting = new ArrayList<>(resolving.waiting());
        if (waiting.size() < MAX_WAITING) {
            waiting.add(commandId);
        }
        return new TransferDecision.JoinResolving(new Resolving(resolving.reserved(), resolving.action(),
                resolving.argument(), resolving.originCommandId(), waiting));
    }

    /**
     * A customer may post or void only transfers out of its own accounts; anyone else's looks like
     * a missing one. While the reservation is on its way the owner is known only if a customer
     * claimed the id; such a request is refused anyway (not reserved yet).
     */
    private static boolean hidden(TransferState state, String caller) {
        if (caller == null) {
            return false;
        }
        String owner = switch (state) {
            case Unclaimed unclaimed -> null;
            case Started started -> started.confinedToOwner();
            case Reserved reserved -> reserved.reservation().sourceOwner();
            case Resolving resolving -> resolving.reserved().reservation().sourceOwner();
            case Settled settled -> settled.outcome().sourceOwner();
        };
        return !caller.equals(owner);
    }

    private static boolean sameAmount(String a, String b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
        } catch (NumberFormatException unparsable) {
            return a.equals(b);
        }
    }

    private static boolean sameAmount(String requested, TransferOutcome posted) {
        try {
            return new BigDecimal(requested).compareTo(BigDecimal.valueOf(posted.amountMinor(), posted.scale())) == 0;
        } catch (NumberFormatException unparsable) {
            return false;
        }
    }

    private static Rejection notFound(String transferId) {
        return Rejection.of("transfer-not-found", "Transfer %s does not exist".formatted(transferId));
    }

    private static Rejection notReserved(String transferId, String why) {
        return Rejection.of("transfer-not-reserved", "Transfer %s %s".formatted(transferId, why));
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

    private static List<String> answering(String origin, List<String> waiting) {
        List<String> all = new ArrayList<>();
        all.add(origin);
        all.addAll(waiting);
        return all;
    }
}
