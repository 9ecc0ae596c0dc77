package dev.tally.query.consistency;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * One query for all waiting requests: each named account's owner (from the accounts read model) and
 * its position in each projection waited on. Plain JDBC on the ticker thread, outside any request.
 */
@ApplicationScoped
public class ProjectionProgressQuery implements ProgressSource {

    private static final String SQL = """
            select wanted.account_id, a.owner, p.projection, p.version
            from unnest(?::text[]) as wanted(account_id)
            left join accounts a on a.account_id = wanted.account_id
            left join projection_account_positions p
                   on p.account_id = wanted.account_id and p.projection = any(?::text[])""";

    private final AgroalDataSource dataSource;

    ProjectionProgressQuery(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public ProjectionProgress read(Set<String> projections, Set<String> accounts) throws SQLException {
        ProjectionProgress progress = ProjectionProgress.none();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SQL)) {
            select.setArray(1, connection.createArrayOf("text", accounts.toArray()));
            select.setArray(2, connection.createArrayOf("text", projections.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String account = rows.getString(1);
                    if (rows.getString(2) != null) {
                        progress.ownedBy(account, rows.getString(2));
                    }
                    if (rows.getString(3) != null) {
                        progress.reached(rows.getString(3), account, rows.getLong(4));
                    }
                }
            }
        }
        return progress;
    }
}
