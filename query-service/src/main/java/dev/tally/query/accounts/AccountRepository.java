package dev.tally.query.accounts;

import dev.tally.query.platform.QueryParams;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Reads accounts, their statements, their history and their days. Every query is an index range scan. */
@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<AccountEntity, String> {

    /** An owner's accounts after a cursor, by account id. */
    public List<AccountEntity> byOwner(String owner, String afterAccountId, int limit) {
        var query = getEntityManager().createQuery("from AccountEntity a where a.accountId > :after"
                + (owner == null ? "" : " and a.owner = :owner") + " order by a.accountId", AccountEntity.class)
                .setParameter("after", afterAccountId == null ? "" : afterAccountId);
        if (owner != null) {
            query.setParameter("owner", owner);
        }
        return query.setMaxResults(limit).getResultList();
    }

    /** The account as it stood at an instant: its last event at or before it (index account_history_as_of). */
    public Optional<AccountHistoryEntity> asOf(String accountId, Instant instant) {
        return getEntityManager().createQuery("""
                        from AccountHistoryEntity h where h.accountId = :account and h.occurredAt <= :at
                        order by h.occurredAt desc, h.sequence desc""", AccountHistoryEntity.class)
                .setParameter("account", accountId).setParameter("at", QueryParams.floorToMicros(instant))
                .setMaxResults(1).getResultStream().findFirst();
    }

    public Optional<AccountHistoryEntity> latest(String accountId) {
        return getEntityManager().createQuery(
                        "from AccountHistoryEntity h where h.accountId = :account order by h.sequence desc",
                        AccountHistoryEntity.class)
                .setParameter("account", accountId).setMaxResults(1).getResultStream().findFirst();
    }

    public List<DailyBalanceEntity> days(String accountId, LocalDate from, LocalDate to) {
        return getEntityManager().createQuery("""
                        from DailyBalanceEntity d where d.accountId = :account and d.day between :from and :to
                        order by d.day""", DailyBalanceEntity.class)
                .setParameter("account", accountId).setParameter("from", from).setParameter("to", to).getResultList();
    }

    /** The last day with movements before {@code day}: where a quiet stretch of days carries its balance from. */
    public Optional<DailyBalanceEntity> lastDayBefore(String accountId, LocalDate day) {
        return getEntityManager().createQuery("""
                        from DailyBalanceEntity d where d.accountId = :account and d.day < :day order by d.day desc""",
                        DailyBalanceEntity.class)
                .setParameter("account", accountId).setParameter("day", day).setMaxResults(1)
                .getResultStream().findFirst();
    }
}
