package dev.tally.projection.runner;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One piece of work in one database transaction: committed whole or rolled back whole. */
final class Transactions {

    interface Work {
        void run(Connection transaction) throws SQLException;
    }

    private Transactions() {
    }

    /** @param what names the caller in the failure, e.g. "projection accounts" */
    static void run(DataSource dataSource, String what, Work work) {
        try (Connection transaction = dataSource.getConnection()) {
            transaction.setAutoCommit(false);
            try {
                work.run(transaction);
                transaction.commit();
            } catch (SQLException | RuntimeException e) {
                transaction.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Database failure in " + what, e);
        }
    }
}
