package dev.tally.query;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Given events, the rows the projections would have written for them: {@code accounts},
 * {@code holds} (two-phase transfers' reservations too), {@code account_history}, {@code entries}, {@code audit_log}, {@code transfers} and every
 * projection's per-account position, with the projection service's column meanings (signed amounts,
 * version = the account's last sequence, one history row per event). Plain JDBC, so that the tests
 * do not lean on the query service's own data access.
 */
public final class ReadModelRows {

    /** Every projection that keeps per-account positions (projection_account_positions.projection). */
    public static final String[] PROJECTIONS = {"accounts", "statements", "account-history", "daily-balances",
            "transfers", "audit"};

    private final Map<String, Account> accounts = new HashMap<>();

    private record Account(String owner, String currency, int scale, Instant openedAt, long sequence, long balance,
                           long held, String status) {

        Account next(long balance, String status) {
            return new Account(owner, currency, scale, openedAt, sequence + 1, balance, held, status);
        }

        Account holding(long newHeld) {
            return new Account(owner, currency, scale, openedAt, sequence + 1, balance, newHeld, status);
        }
    }

    private final Map<String, Long> holdAmounts = new HashMap<>();

    /** Empties every read model; each test starts from nothing. */
    public static ReadModelRows empty() {
        sql("truncate accounts, holds, entries, account_history, daily_balances, transfers, audit_log, dead_letters,"
                + " projection_checkpoints, projection_account_positions");
        return new ReadModelRows();
    }

    public ReadModelRows opened(String accountId, String owner, String currency, int scale, Instant at) {
        Account account = new Account(owner, currency, scale, at, 1, 0, 0, "OPEN");
        accounts.put(accountId, account);
        write(accountId, account, at, "AccountOpened", owner);
        return this;
    }

    public ReadModelRows deposited(String accountId, long amountMinor, Instant at) {
        return moved(accountId, "DEPOSIT", "FundsDeposited", amountMinor, null, null, at);
    }

    public ReadModelRows withdrew(String accountId, long amountMinor, Instant at) {
        return moved(accountId, "WITHDRAWAL", "FundsWithdrawn", -amountMinor, null, null, at);
    }

    public ReadModelRows frozen(String accountId, Instant at) {
        Account account = accounts.get(accountId).next(accounts.get(accountId).balance(), "FROZEN");
        accounts.put(accountId, account);
        write(accountId, account, at, "AccountFrozen", "teller-1");
        return this;
    }

    /** A completed transfer: TransferDebited on the source, TransferCredited on the target, the saga's row. */
    public ReadModelRows transferred(String transferId, String from, String to, long amountMinor, Instant at) {
        parties.put(transferId, new String[] {from, to});
        moved(from, "TRANSFER_OUT", "TransferDebited", -amountMinor, transferId, to, at);
        moved(to, "TRANSFER_IN", "TransferCredited", amountMinor, transferId, from, at);
        Account source = accounts.get(from);
        update("""
                insert into transfers (transfer_id, from_account_id, to_account_id, amount_minor, currency, scale,
                                       status, reason_code, reason, reference, requested_at, completed_at, correlation_id)
                values (?, ?, ?, ?, ?, ?, 'COMPLETED', null, null, null, ?, ?, ?)""",
                transferId, from, to, amountMinor, source.currency(), source.scale(), ts(at), ts(at), "corr-" + transferId);
        return this;
    }

    /** Each transfer's (source, target), so that a reversal knows which way to go back. */
    private final Map<String, String[]> parties = new HashMap<>();

    /**
     * A reversal of {@code originalId} that completed: TransferDebited (v2, naming the original) on the
     * original's target, TransferCredited (naming it too) on its source, the reversal's row COMPLETED
     * with {@code reversal_of}, and the original's {@code reversed_amount_minor} grown by the amount.
     */
    public ReadModelRows reversed(String reversalId, String originalId, long amountMinor, Instant at) {
        reversalDebited(reversalId, originalId, amountMinor, "COMPLETED", at);
        String[] back = parties.get(reversalId);
        moved(back[1], "TRANSFER_IN", "TransferCredited", amountMinor, reversalId, back[0], originalId, at);
        update("update transfers set completed_at = ? where transfer_id = ?", ts(at), reversalId);
        update("update transfers set reversed_amount_minor = reversed_amount_minor + ? where transfer_id = ?",
                amountMinor, originalId);
        return this;
    }

    /** A reversal still in flight: only its TransferDebited (naming the original); its row PENDING. */
    public ReadModelRows reversalInFlight(String reversalId, String originalId, long amountMinor, Instant at) {
        return reversalDebited(reversalId, originalId, amountMinor, "PENDING", at);
    }

    /**
     * A reversal the original's source refused: its TransferDebited (naming the original), then the
     * TransferRefunded a second later that gives the money back (no link: the refund event has none); its
     * row REFUNDED.
     * The original's reversed amount stays.
     */
    public ReadModelRows reversalRefunded(String reversalId, String originalId, long amountMinor, Instant at) {
        reversalDebited(reversalId, originalId, amountMinor, "REFUNDED", at);
        String[] back = parties.get(reversalId);
        Instant refundedAt = at.plusSeconds(1);
        moved(back[0], "TRANSFER_REFUND", "TransferRefunded", amountMinor, reversalId, back[1], refundedAt);
        update("update transfers set reason_code = 'account-closed', completed_at = ? where transfer_id = ?",
                ts(refundedAt), reversalId);
        return this;
    }

    private ReadModelRows reversalDebited(String reversalId, String originalId, long amountMinor, String status,
                                          Instant at) {
        String[] original = parties.get(originalId);
        String from = original[1];
        String to = original[0];
        parties.put(reversalId, new String[] {from, to});
        moved(from, "TRANSFER_OUT", "TransferDebited", -amountMinor, reversalId, to, originalId, at);
        Account source = accounts.get(from);
        update("""
                insert into transfers (transfer_id, from_account_id, to_account_id, amount_minor, currency, scale,
                                       status, reason_code, reason, reference, requested_at, completed_at, correlation_id,
                                       reversal_of)
                values (?, ?, ?, ?, ?, ?, ?, null, null, null, ?, null, ?, ?)""",
                reversalId, from, to, amountMinor, source.currency(), source.scale(), status, ts(at),
                "corr-" + reversalId, originalId);
        return this;
    }

    /** FundsHeld: the hold's row, OPEN; the account's held grows, its balance stays. */
    public ReadModelRows held(String accountId, String holdId, long amountMinor, Instant expiresAt, Instant at) {
        Account account = accounts.get(accountId).holding(accounts.get(accountId).held() + amountMinor);
        accounts.put(accountId, account);
        holdAmounts.put(accountId + "/" + holdId, amountMinor);
        update("""
                insert into holds (account_id, hold_id, amount_minor, currency, scale, status, captured_minor,
                                   released_minor, expires_at, placed_at, closed_at, reference, metadata,
                                   transaction_id, last_sequence)
                values (?, ?, ?, ?, ?, 'OPEN', null, null, ?, ?, null, ?, '{"order":"o-1"}'::jsonb, null, ?)""",
                accountId, holdId, amountMinor, account.currency(), account.scale(), ts(expiresAt), ts(at),
                "ref " + holdId, account.sequence());
        write(accountId, account, at, "FundsHeld", account.owner());
        return this;
    }

    /** HoldCaptured (part or all of it; the rest released), then the FundsWithdrawn that moves the captured money. */
    public ReadModelRows captured(String accountId, String holdId, long capturedMinor, Instant at) {
        long amount = holdAmounts.get(accountId + "/" + holdId);
        // The capture is the account's next event, its withdrawal (whose transaction it names) the one after.
        closeHold(accountId, holdId, "CAPTURED", capturedMinor, amount - capturedMinor,
                "tx-" + accountId + "-" + (version(accountId) + 2), "HoldCaptured", at);
        return withdrew(accountId, capturedMinor, at);
    }

    public ReadModelRows released(String accountId, String holdId, Instant at) {
        long amount = holdAmounts.get(accountId + "/" + holdId);
        return closeHold(accountId, holdId, "RELEASED", null, amount, null, "HoldReleased", at);
    }

    public ReadModelRows expired(String accountId, String holdId, Instant at) {
        long amount = holdAmounts.get(accountId + "/" + holdId);
        return closeHold(accountId, holdId, "EXPIRED", null, amount, null, "HoldExpired", at);
    }

    private record TwoPhase(String from, String to, long reservedMinor) {
    }

    private final Map<String, TwoPhase> twoPhase = new HashMap<>();
    private final Map<String, Long> postedAmounts = new HashMap<>();

    /**
     * TransferReserved on the source: a hold {@code transfer/<id>} (OPEN), the source's held grows, and
     * the transfers row, RESERVED, with {@code two_phase}, the reserved amount and the expiry.
     */
    public ReadModelRows reserved(String transferId, String from, String to, long amountMinor, Instant expiresAt,
                                  Instant at) {
        twoPhase.put(transferId, new TwoPhase(from, to, amountMinor));
        Account source = accounts.get(from).holding(accounts.get(from).held() + amountMinor);
        accounts.put(from, source);
        holdAmounts.put(from + "/transfer/" + transferId, amountMinor);
        update("""
                insert into holds (account_id, hold_id, amount_minor, currency, scale, status, captured_minor,
                                   released_minor, expires_at, placed_at, closed_at, reference, metadata,
                                   transaction_id, last_sequence)
                values (?, ?, ?, ?, ?, 'OPEN', null, null, ?, ?, null, ?, '{"invoice":"i-1"}'::jsonb, null, ?)""",
                from, "transfer/" + transferId, amountMinor, source.currency(), source.scale(), ts(expiresAt), ts(at),
                "ref " + transferId, source.sequence());
        update("""
                insert into transfers (transfer_id, from_account_id, to_account_id, amount_minor, currency, scale,
                                       status, reason_code, reason, reference, requested_at, completed_at, correlation_id,
                                       two_phase, reserved_amount_minor, expires_at)
                values (?, ?, ?, ?, ?, ?, 'RESERVED', null, null, ?, ?, null, ?, true, ?, ?)""",
                transferId, from, to, amountMinor, source.currency(), source.scale(), "ref " + transferId, ts(at),
                "corr-" + transferId, amountMinor, ts(expiresAt));
        write(from, source, at, "TransferReserved", source.owner());
        return this;
    }

    /**
     * TransferPosted (the reservation CAPTURED: posted, the rest released, its transaction the transfer;
     * the row POSTED with the posted amount), then the TransferDebited that moves the posted money.
     */
    public ReadModelRows posted(String transferId, long postedMinor, Instant at) {
        TwoPhase transfer = twoPhase.get(transferId);
        postedAmounts.put(transferId, postedMinor);
        closeHold(transfer.from(), "transfer/" + transferId, "CAPTURED", postedMinor,
                transfer.reservedMinor() - postedMinor, transferId, "TransferPosted", at);
        update("update transfers set status = 'POSTED', amount_minor = ? where transfer_id = ?", postedMinor, transferId);
        return moved(transfer.from(), "TRANSFER_OUT", "TransferDebited", -postedMinor, transferId, transfer.to(), at);
    }

    /** TransferCredited on the target: the posted money arrives, the row COMPLETED. */
    public ReadModelRows credited(String transferId, Instant at) {
        TwoPhase transfer = twoPhase.get(transferId);
        long posted = postedAmounts.get(transferId);
        moved(transfer.to(), "TRANSFER_IN", "TransferCredited", posted, transferId, transfer.from(), at);
        update("update transfers set status = 'COMPLETED', completed_at = ? where transfer_id = ?", ts(at), transferId);
        return this;
    }

    /** TransferVoided by a client: the reservation RELEASED, the row VOIDED with the client's reason. */
    public ReadModelRows voided(String transferId, String reason, Instant at) {
        return endReservation(transferId, "RELEASED", "VOIDED", reason, at);
    }

    /** TransferVoided by the write model at the expiry: the reservation and the row EXPIRED. */
    public ReadModelRows reservationExpired(String transferId, Instant at) {
        return endReservation(transferId, "EXPIRED", "EXPIRED", null, at);
    }

    private ReadModelRows endReservation(String transferId, String holdStatus, String status, String reason,
                                         Instant at) {
        TwoPhase transfer = twoPhase.get(transferId);
        closeHold(transfer.from(), "transfer/" + transferId, holdStatus, null, transfer.reservedMinor(), null,
                "TransferVoided", at);
        update("update transfers set status = ?, reason = ?, completed_at = ? where transfer_id = ?", status, reason,
                ts(at), transferId);
        return this;
    }

    private ReadModelRows closeHold(String accountId, String holdId, String status, Long capturedMinor,
                                    long releasedMinor, String transactionId, String eventType, Instant at) {
        long amount = holdAmounts.get(accountId + "/" + holdId);
        Account account = accounts.get(accountId).holding(accounts.get(accountId).held() - amount);
        accounts.put(accountId, account);
        update("""
                update holds set status = ?, captured_minor = ?, released_minor = ?, closed_at = ?,
                                 transaction_id = ?, last_sequence = ?
                where account_id = ? and hold_id = ?""",
                status, capturedMinor, releasedMinor, ts(at), transactionId, account.sequence(), accountId, holdId);
        write(accountId, account, at, eventType, "system");
        return this;
    }

    /** The account's current version (its last sequence): what a consistency token names. */
    public long version(String accountId) {
        return accounts.get(accountId).sequence();
    }

    /** The audit trail's event id of an account's event: derived, so tests can name it. */
    public static String eventId(String accountId, long sequence) {
        return UUID.nameUUIDFromBytes((accountId + "@" + sequence).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private ReadModelRows moved(String accountId, String line, String eventType, long signedMinor, String transferId,
                                String counterparty, Instant at) {
        return moved(accountId, line, eventType, signedMinor, transferId, counterparty, null, at);
    }

    /** A movement's line; a reversal's names the transfer it reverses, on the line and in the audit details. */
    private ReadModelRows moved(String accountId, String line, String eventType, long signedMinor, String transferId,
                                String counterparty, String reversalOf, Instant at) {
        Account before = accounts.get(accountId);
        Account account = before.next(before.balance() + signedMinor, before.status());
        accounts.put(accountId, account);
        update("""
                insert into entries (account_id, sequence, type, amount_minor, balance_after_minor, currency, scale,
                                     transaction_id, transfer_id, counterparty_account_id, reference, metadata, actor,
                                     event_id, occurred_at, reversal_of)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}'::jsonb, ?, ?, ?, ?)""",
                accountId, account.sequence(), line, signedMinor, account.balance(), account.currency(),
                account.scale(), "tx-" + accountId + "-" + account.sequence(), transferId, counterparty,
                "ref " + account.sequence(), account.owner(), eventId(accountId, account.sequence()), ts(at),
                reversalOf);
        // The audit projection's details: the event's own fields as text, those without a value left out.
        String details = transferId == null ? "{}" : "{\"transferId\":\"" + transferId + "\""
                + (reversalOf == null ? "" : ",\"reversalOf\":\"" + reversalOf + "\"") + "}";
        write(accountId, account, at, eventType, account.owner(), details);
        return this;
    }

    /** What every event writes: the account's row, its history row, its audit line, and every position. */
    private void write(String accountId, Account account, Instant at, String eventType, String actor) {
        write(accountId, account, at, eventType, actor, "{}");
    }

    private void write(String accountId, Account account, Instant at, String eventType, String actor, String details) {
        update("""
                insert into accounts (account_id, owner, currency, scale, balance_minor, held_minor,
                                      overdraft_limit_minor, status, version, metadata, opened_at, updated_at)
                values (?, ?, ?, ?, ?, ?, 0, ?, ?, '{"tier":"gold"}'::jsonb, ?, ?)
                on conflict (account_id) do update set balance_minor = excluded.balance_minor,
                    held_minor = excluded.held_minor, status = excluded.status, version = excluded.version,
                    updated_at = excluded.updated_at""",
                accountId, account.owner(), account.currency(), account.scale(), account.balance(), account.held(),
                account.status(), account.sequence(), ts(account.openedAt()), ts(at));
        update("""
                insert into account_history (account_id, sequence, occurred_at, owner, currency, scale, balance_minor,
                                             held_minor, overdraft_limit_minor, status, opened_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""",
                accountId, account.sequence(), ts(at), account.owner(), account.currency(), account.scale(),
                account.balance(), account.held(), account.status(), ts(account.openedAt()));
        update("""
                insert into audit_log (event_id, account_id, sequence, event_type, actor, occurred_at, command_id,
                                       correlation_id, causation_id, details)
                values (?, ?, ?, ?, ?, ?, ?, ?, null, ?::jsonb)""",
                eventId(accountId, account.sequence()), accountId, account.sequence(), eventType, actor, ts(at),
                "cmd-" + accountId + "-" + account.sequence(), "corr-" + accountId, details);
        for (String projection : PROJECTIONS) {
            update("""
                    insert into projection_account_positions (projection, account_id, version, currency, scale)
                    values (?, ?, ?, ?, ?)
                    on conflict (projection, account_id) do update set version = excluded.version""",
                    projection, accountId, account.sequence(), account.currency(), account.scale());
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    public static void sql(String statement) {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(String statement, Object... values) {
        try (Connection connection = connect(); PreparedStatement sql = connection.prepareStatement(statement)) {
            for (int i = 0; i < values.length; i++) {
                sql.setObject(i + 1, values[i]);
            }
            sql.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
