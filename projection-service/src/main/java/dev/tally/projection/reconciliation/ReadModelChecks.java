package dev.tally.projection.reconciliation;

import dev.tally.projection.reconciliation.ReconciliationReport.Check;
import dev.tally.projection.reconciliation.ReconciliationReport.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The invariants the read models hold together: independent projections of the same log must agree,
 * and no account may have reserved more than it has. Each check across projections compares only
 * accounts that both have brought to the same version, so a projection that is merely behind is
 * never reported as wrong. Run by {@link Reconciliation} on the live tables and by the replay check
 * on its scratch database; the caller chooses the snapshot.
 */
public final class ReadModelChecks {

    private static final int SHOWN = 20;

    private static final String BALANCE_EQUALS_ENTRIES = """
            select a.account_id || ': balance ' || a.balance_minor || ', entries sum to ' || coalesce(e.total, 0)
            from accounts a
            join projection_account_positions pa on pa.projection = 'accounts' and pa.account_id = a.account_id
            join projection_account_positions ps on ps.projection = 'statements' and ps.account_id = a.account_id
                 and ps.version = pa.version
            left join (select account_id, sum(amount_minor) as total from entries group by account_id) e
                 on e.account_id = a.account_id
            where a.balance_minor <> coalesce(e.total, 0)
            order by a.account_id limit %d""".formatted(SHOWN);

    private static final String VERSION_EQUALS_EVENT_COUNT = """
            select a.account_id || ': version ' || a.version || ', ' || coalesce(h.events, 0) || ' events in its history'
            from accounts a
            join projection_account_positions pa on pa.projection = 'accounts' and pa.account_id = a.account_id
            join projection_account_positions ph on ph.projection = 'account-history' and ph.account_id = a.account_id
                 and ph.version = pa.version
            left join (select account_id, count(*) as events from account_history group by account_id) h
                 on h.account_id = a.account_id
            where a.version <> coalesce(h.events, 0)
            order by a.account_id limit %d""".formatted(SHOWN);

    /** Projections disagree on some account's version: the ledger-wide sum would compare different moments. */
    private static final String PROJECTIONS_APART = """
            select count(*) from projection_account_positions pa
            join projection_account_positions po on po.account_id = pa.account_id
                 and po.projection in ('statements', 'transfers') and po.version <> pa.version
            where pa.projection = 'accounts'""";

    private static final String LEDGER_TOTAL = """
            with balances as (select currency, sum(balance_minor) as total from accounts group by currency),
                 moved as (select currency,
                                  sum(case when type = 'DEPOSIT' then amount_minor else 0 end) as deposits,
                                  -sum(case when type = 'WITHDRAWAL' then amount_minor else 0 end) as withdrawals
                           from entries group by currency),
                 -- A two-phase transfer stays POSTED from its TransferPosted until credited or refunded: its
                 -- money is in flight once the TransferDebited right after the posting has its statement line.
                 flight as (select currency, sum(amount_minor) as total from transfers t
                            where status = 'PENDING'
                               or (status = 'POSTED' and exists (
                                       select 1 from entries e where e.account_id = t.from_account_id
                                              and e.transfer_id = t.transfer_id and e.type = 'TRANSFER_OUT'))
                            group by currency)
            select b.currency || ': balances ' || b.total || ' but deposits ' || coalesce(m.deposits, 0)
                   || ' - withdrawals ' || coalesce(m.withdrawals, 0) || ' - in flight ' || coalesce(f.total, 0)
            from balances b left join moved m on m.currency = b.currency left join flight f on f.currency = b.currency
            where b.total <> coalesce(m.deposits, 0) - coalesce(m.withdrawals, 0) - coalesce(f.total, 0)""";

    /** The same ledger total from the running totals: one row per account, plus what is in flight. */
    private static final String LEDGER_TOTAL_FROM_TOTALS = """
            with balances as (select currency, sum(balance_minor) as total from accounts group by currency),
                 moved as (select currency, sum(deposits_minor) as deposits, -sum(withdrawals_minor) as withdrawals
                           from statement_totals group by currency),
                 -- As in the full check; the first condition lets the partial index transfers_in_flight
                 -- find the few open transfers instead of reading them all.
                 flight as (select currency, sum(amount_minor) as total from transfers t
                            where status in ('PENDING', 'POSTED')
                              and (status = 'PENDING' or exists (
                                       select 1 from entries e where e.account_id = t.from_account_id
                                              and e.transfer_id = t.transfer_id and e.type = 'TRANSFER_OUT'))
                            group by currency)
            select b.currency || ': balances ' || b.total || ' but deposits ' || coalesce(m.deposits, 0)
                   || ' - withdrawals ' || coalesce(m.withdrawals, 0) || ' - in flight ' || coalesce(f.total, 0)
            from balances b left join moved m on m.currency = b.currency left join flight f on f.currency = b.currency
            where b.total <> coalesce(m.deposits, 0) - coalesce(m.withdrawals, 0) - coalesce(f.total, 0)""";

    private static final String BALANCE_EQUALS_TOTALS = """
            select a.account_id || ': balance ' || a.balance_minor || ', statement lines total ' || coalesce(t.total_minor, 0)
            from accounts a
            join projection_account_positions pa on pa.projection = 'accounts' and pa.account_id = a.account_id
            join projection_account_positions ps on ps.projection = 'statements' and ps.account_id = a.account_id
                 and ps.version = pa.version
            left join statement_totals t on t.account_id = a.account_id
            where a.balance_minor <> coalesce(t.total_minor, 0)
            order by a.account_id limit %d""".formatted(SHOWN);

    private static final String VERSION_EQUALS_HISTORY_COUNT = """
            select a.account_id || ': version ' || a.version || ', history counts ' || coalesce(h.events, 0) || ' events'
            from accounts a
            join projection_account_positions pa on pa.projection = 'accounts' and pa.account_id = a.account_id
            join projection_account_positions ph on ph.projection = 'account-history' and ph.account_id = a.account_id
                 and ph.version = pa.version
            left join history_counts h on h.account_id = a.account_id
            where a.version <> coalesce(h.events, 0)
            order by a.account_id limit %d""".formatted(SHOWN);

    /** The running totals against the rows they sum (one projection's own tables, one transaction: no version join). */
    private static final String TOTALS_EQUAL_LINES = """
            select coalesce(t.account_id, e.account_id) || ': totals ' || coalesce(t.total_minor, 0) || '/'
                   || coalesce(t.deposits_minor, 0) || '/' || coalesce(t.withdrawals_minor, 0) || ' in '
                   || coalesce(t.lines, 0) || ' lines, the lines ' || coalesce(e.total, 0) || '/' || coalesce(e.deposits, 0)
                   || '/' || coalesce(e.withdrawals, 0) || ' in ' || coalesce(e.lines, 0)
            from statement_totals t
            full join (select account_id, sum(amount_minor) as total,
                              coalesce(sum(amount_minor) filter (where type = 'DEPOSIT'), 0) as deposits,
                              coalesce(sum(amount_minor) filter (where type = 'WITHDRAWAL'), 0) as withdrawals,
                              count(*) as lines
                       from entries group by account_id) e on e.account_id = t.account_id
            where t.account_id is null or e.account_id is null or t.total_minor <> e.total
               or t.deposits_minor <> e.deposits or t.withdrawals_minor <> e.withdrawals or t.lines <> e.lines
            order by 1 limit %d""".formatted(SHOWN);

    private static final String COUNTS_EQUAL_HISTORY = """
            select coalesce(c.account_id, h.account_id) || ': counted ' || coalesce(c.events, 0) || ', history holds '
                   || coalesce(h.events, 0)
            from history_counts c
            full join (select account_id, count(*) as events from account_history group by account_id) h
                 on h.account_id = c.account_id
            where c.account_id is null or h.account_id is null or c.events <> h.events
            order by 1 limit %d""".formatted(SHOWN);

    /** No account has reserved more than balance and overdraft cover: available = balance + overdraft − held ≥ 0. */
    private static final String AVAILABLE_NOT_NEGATIVE = """
            select account_id || ': balance ' || balance_minor || ' + overdraft limit ' || overdraft_limit_minor
                   || ' - held ' || held_minor || ' is below 0'
            from accounts where balance_minor + overdraft_limit_minor - held_minor < 0
            order by account_id limit %d""".formatted(SHOWN);

    /** The accounts projection writes both tables in one transaction: no version join is needed. */
    private static final String HELD_EQUALS_OPEN_HOLDS = """
            select a.account_id || ': held ' || a.held_minor || ', open holds sum to ' || coalesce(h.total, 0)
            from accounts a
            left join (select account_id, sum(amount_minor) as total from holds where status = 'OPEN'
                       group by account_id) h on h.account_id = a.account_id
            where a.held_minor <> coalesce(h.total, 0)
            order by a.account_id limit %d""".formatted(SHOWN);

    private ReadModelChecks() {
    }

    /**
     * Every check by summing the tables themselves, and the running totals against the rows they
     * sum: what {@code POST /reconciliation}, the periodic full run and the replay check run. Time
     * grows with the whole log.
     */
    public static List<Check> run(Connection connection) throws SQLException {
        List<Check> checks = new ArrayList<>();
        checks.add(check(connection, "balance-equals-entries",
                "each account's balance equals the sum of its statement lines", BALANCE_EQUALS_ENTRIES));
        checks.add(check(connection, "version-equals-event-count",
                "each account's version equals the number of its events", VERSION_EQUALS_EVENT_COUNT));
        checks.addAll(ledgerAndHolds(connection, LEDGER_TOTAL));
        checks.add(check(connection, "statement-totals-equal-lines",
                "each account's running statement totals equal its statement lines", TOTALS_EQUAL_LINES));
        checks.add(check(connection, "history-counts-equal-history",
                "each account's running event count equals its history rows", COUNTS_EQUAL_HISTORY));
        return checks;
    }

    /**
     * The same invariants from the running totals the projections keep ({@code statement_totals},
     * {@code history_counts}): one row per account and what is open or in flight, never every
     * statement line or history row. What the scheduled reconciliation runs every interval; it
     * trusts the totals, which the full run checks against the rows.
     */
    public static List<Check> runOnTotals(Connection connection) throws SQLException {
        List<Check> checks = new ArrayList<>();
        checks.add(check(connection, "balance-equals-entries",
                "each account's balance equals its statement lines' running total", BALANCE_EQUALS_TOTALS));
        checks.add(check(connection, "version-equals-event-count",
                "each account's version equals its running event count", VERSION_EQUALS_HISTORY_COUNT));
        checks.addAll(ledgerAndHolds(connection, LEDGER_TOTAL_FROM_TOTALS));
        return checks;
    }

    /** The checks both modes share: the ledger total (by the given query), available and held per account. */
    private static List<Check> ledgerAndHolds(Connection connection, String ledgerTotal) throws SQLException {
        String ledger = "sum of balances = deposits - withdrawals - money in flight, per currency";
        return List.of(count(connection, PROJECTIONS_APART) == 0
                        ? check(connection, "ledger-total", ledger, ledgerTotal)
                        : new Check("ledger-total", ledger, Outcome.SKIPPED, List.of()),
                check(connection, "available-not-negative",
                        "each account's available (balance + overdraft limit - held) is at least 0", AVAILABLE_NOT_NEGATIVE),
                check(connection, "held-equals-open-holds",
                        "each account's held amount equals the sum of its open holds", HELD_EQUALS_OPEN_HOLDS));
    }

    private static Check check(Connection connection, String name, String description, String sql) throws SQLException {
        List<String> offenders = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                offenders.add(rows.getString(1));
            }
        }
        return new Check(name, description, offenders.isEmpty() ? Outcome.OK : Outcome.MISMATCH, offenders);
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
