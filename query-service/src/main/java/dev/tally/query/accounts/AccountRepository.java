package dev.tally.query.accounts;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads accounts and their statement lines. */
@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<AccountEntity, String> {

    /** Statement lines after a sequence, oldest first: keyset pagination on the primary key. */
    public List<EntryEntity> entries(String accountId, long afterSequence, int limit) {
        return getEntityManager().createQuery(
                        "from EntryEntity e where e.accountId = :account and e.sequence > :after order by e.sequence",
                        EntryEntity.class)
                .setParameter("account", accountId)
                .setParameter("after", afterSequence)
                .setMaxResults(limit)
                .getResultList();
    }

    boolean exists(String accountId) {
        return count("accountId = :id", Parameters.with("id", accountId)) > 0;
    }
}
