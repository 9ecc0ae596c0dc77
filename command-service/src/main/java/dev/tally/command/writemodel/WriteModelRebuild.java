package dev.tally.command.writemodel;

import dev.tally.command.ledger.AccountDecider;
import dev.tally.command.ledger.AccountEvent;
import dev.tally.command.ledger.AccountState;
import dev.tally.command.ledger.Asset;
import dev.tally.events.AccountClosed;
import dev.tally.events.AccountFrozen;
import dev.tally.events.AccountOpened;
import dev.tally.events.AccountUnfrozen;
import dev.tally.events.EventMeta;
import dev.tally.events.FundsDeposited;
import dev.tally.events.FundsWithdrawn;
import dev.tally.events.FundsHeld;
import dev.tally.events.HoldCaptured;
import dev.tally.events.HoldExpired;
import dev.tally.events.HoldReleased;
import dev.tally.events.TransferCompleted;
import dev.tally.events.TransferCredited;
import dev.tally.events.TransferDebited;
import dev.tally.events.TransferPosted;
import dev.tally.events.TransferRefunded;
import dev.tally.events.TransferReserved;
import dev.tally.events.TransferVoided;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The write model's state derived from {@code tally.ledger.events} alone (DESIGN decision 1): the
 * same {@code evolve} the live processor runs, folded over the published events. A test holds it
 * equal to the live state store, so a changed {@code evolve} can be rolled out by rebuilding.
 */
public final class WriteModelRebuild {

    /**
     * Every account's snapshot, every remembered idempotency key (store key to request hash, and the
     * full records the store keeps), and every transfer id ever debited.
     */
    public record Rebuilt(Map<String, AccountSnapshot> accounts, Map<String, String> idempotencyKeys,
                          Map<String, IdempotencyRecord> idempotencyRecords, Map<String, TransferRecord> transfers,
                          Map<String, HoldRecord> holds, Map<String, String> holdExpiries,
                          Map<String, MovementRecord> movements) {

        public Rebuilt(Map<String, AccountSnapshot> accounts, Map<String, String> idempotencyKeys,
                       Map<String, IdempotencyRecord> idempotencyRecords, Map<String, TransferRecord> transfers) {
            this(accounts, idempotencyKeys, idempotencyRecords, transfers, Map.of(), Map.of(), Map.of());
        }
    }

    private final Map<String, AccountSnapshot> accounts = new HashMap<>();
    private final Map<String, String> idempotencyKeys = new HashMap<>();
    private final Map<String, IdempotencyRecord> idempotencyRecords = new HashMap<>();
    private final TransferRebuild transfers = new TransferRebuild();
    private final Map<String, HoldRecord> holds = new HashMap<>();
    private final Map<String, MovementRecord> movements = new HashMap<>();
    /** Per account, the command of its latest event. */
    private final Map<String, String> lastCommand = new HashMap<>();
    /** Accounts whose subject was forgotten, with the destroyed key's id (null if they had none). */
    private final Map<String, String> forgottenKeyIds = new HashMap<>();
    private final Duration idempotencyWindow;

    public WriteModelRebuild() {
        this(Duration.ofHours(24));
    }

    public WriteModelRebuild(Duration idempotencyWindow) {
        this.idempotencyWindow = idempotencyWindow;
    }

    /** Applies one event; events of one account must come in their log order. */
    public void apply(SpecificRecord event) {
        EventMeta meta = (EventMeta) event.get(0);
        AccountSnapshot before = accounts.get(meta.getAccountId());
        AccountState state = AccountSnapshot.toState(before);
        AccountEvent domain = toDomain(event);
        if (event instanceof dev.tally.events.SubjectForgotten forgotten) {
            forgottenKeyIds.put(meta.getAccountId(), forgotten.getKeyId());
        }
        AccountState after = AccountDecider.evolve(state, domain);
        AccountSnapshot snapshot = AccountSnapshot.of(after, before, meta.getOccurredAt());
        accounts.put(meta.getAccountId(), snapshot);
        HoldRecord hold = null;
        String holdId = HoldRecord.holdIdOf(domain);
        if (holdId != null) {
            String key = HoldRecord.storeKey(meta.getAccountId(), holdId);
            hold = HoldRecord.after(holds.get(key), meta.getAccountId(), domain, snapshot.asset(), meta.getOccurredAt(),
                    meta.getRequestHash());
            holds.put(key, hold);
        }
        // The live processor remembers a command's answer with its first event (a capture's second
        // event, its withdrawal, belongs to the same answer); events of one command are consecutive.
        boolean firstOfItsCommand = !meta.getCommandId().equals(lastCommand.put(meta.getAccountId(), meta.getCommandId()));
        if (meta.getIdempotencyKey() != null && firstOfItsCommand) {
            String storeKey = IdempotencyRecord.storeKey(meta.getAccountId(), meta.getIdempotencyKey());
            idempotencyKeys.put(storeKey, meta.getRequestHash());
            // The answer the command gave, as the live processor would have remembered it.
            CommandResult first = CommandResults.afterAccepted(meta.getCommandId(), meta.getAccountId(),
                    meta.getOccurredAt(), List.of(domain), CommandResult.AccountView.of(meta.getAccountId(), snapshot),
                    List.of(new CommandResult.AppendedEvent(meta.getEventId(), event.getSchema().getName(),
                            meta.getAccountId(), meta.getSequence())), hold == null ? null : hold.view());
            if (first != null) {
                idempotencyRecords.put(storeKey, new IdempotencyRecord(meta.getRequestHash(), meta.getCommandId(),
                        meta.getOccurredAt().plus(idempotencyWindow), first));
            }
        }
        transfers.apply(meta, domain, AccountDecider.accountOf(after));
        MovementRecord.apply(meta.getAccountId(), domain, movements::get, movements::put);
    }

    /** The accounts forgotten in the log, and the id of each one's destroyed key (null: it had none). */
    public Map<String, String> forgottenKeyIds() {
        return java.util.Collections.unmodifiableMap(forgottenKeyIds);
    }

    public Rebuilt result() {
        Map<String, String> expiries = new HashMap<>();
        holds.forEach((key, hold) -> {
            if (hold.status() == dev.tally.command.ledger.Hold.Status.OPEN) {
                expiries.put(HoldExpiries.key(hold.expiresAt(), hold.accountId(), hold.holdId()), key);
            }
        });
        return new Rebuilt(Map.copyOf(accounts), Map.copyOf(idempotencyKeys), Map.copyOf(idempotencyRecords),
                transfers.result(), Map.copyOf(holds), Map.copyOf(expiries), Map.copyOf(movements));
    }

    /** The inverse of {@link LedgerEventMapper#toAvro}: the published event as the domain sees it. */
    static AccountEvent toDomain(SpecificRecord event) {
        return switch (event) {
            case AccountOpened e -> new AccountEvent.AccountOpened(e.getOwner(), new Asset(e.getCurrency(), e.getScale()),
                    e.getOverdraftLimitMinor(), e.getMetadata());
            case FundsDeposited e -> new AccountEvent.FundsDeposited(e.getTransactionId(), e.getAmountMinor(),
                    e.getBalanceAfterMinor(), e.getReference(), e.getMetadata(), e.getReversalOf());
            case FundsWithdrawn e -> new AccountEvent.FundsWithdrawn(e.getTransactionId(), e.getAmountMinor(),
                    e.getBalanceAfterMinor(), e.getReference(), e.getMetadata(), e.getReversalOf());
            case AccountFrozen e -> new AccountEvent.AccountFrozen(e.getReason());
            case AccountUnfrozen e -> new AccountEvent.AccountUnfrozen(e.getReason());
            case AccountClosed e -> new AccountEvent.AccountClosed();
            case dev.tally.events.SubjectForgotten e -> new AccountEvent.SubjectForgotten(e.getOwner());
            case TransferDebited e -> new AccountEvent.TransferDebited(e.getTransferId(), e.getToAccountId(),
                    e.getAmountMinor(), e.getBalanceAfterMinor(), e.getReference(), e.getMetadata(), e.getReversalOf());
            case TransferCredited e -> new AccountEvent.TransferCredited(e.getTransferId(), e.getFromAccountId(),
                    e.getAmountMinor(), e.getBalanceAfterMinor(), e.getReference(), e.getMetadata(), e.getReversalOf());
            case TransferRefunded e -> new AccountEvent.TransferRefunded(e.getTransferId(), e.getToAccountId(),
                    e.getAmountMinor(), e.getBalanceAfterMinor(), e.getReasonCode(), e.getReasonDetail());
            case TransferCompleted e -> new AccountEvent.TransferCompleted(e.getTransferId(), e.getToAccountId(),
                    e.getAmountMinor());
            case FundsHeld e -> new AccountEvent.FundsHeld(e.getHoldId(), e.getAmountMinor(), e.getExpiresAt(),
                    e.getHeldAfterMinor(), e.getReference(), e.getMetadata());
            case HoldCaptured e -> new AccountEvent.HoldCaptured(e.getHoldId(), e.getCapturedMinor(),
                    e.getReleasedMinor(), e.getHeldAfterMinor(), e.getTransactionId());
            case HoldReleased e -> new AccountEvent.HoldReleased(e.getHoldId(), e.getReleasedMinor(),
                    e.getHeldAfterMinor(), e.getReason());
            case HoldExpired e -> new AccountEvent.HoldExpired(e.getHoldId(), e.getReleasedMinor(),
                    e.getHeldAfterMinor(), e.getExpiresAt());
            case TransferReserved e -> new AccountEvent.TransferReserved(e.getTransferId(), e.getToAccountId(),
                    e.getAmountMinor(), e.getExpiresAt(), e.getHeldAfterMinor(), e.getReference(), e.getMetadata());
            case TransferPosted e -> new AccountEvent.TransferPosted(e.getTransferId(), e.getToAccountId(),
                    e.getPostedMinor(), e.getReleasedMinor(), e.getHeldAfterMinor());
            case TransferVoided e -> new AccountEvent.TransferVoided(e.getTransferId(), e.getToAccountId(),
                    e.getReleasedMinor(), e.getHeldAfterMinor(), e.getExpired(), e.getReason());
            default -> throw new IllegalArgumentException("Not a ledger event: " + event.getSchema().getFullName());
        };
    }
}
