package dev.tally.query.consistency;

import java.util.Set;

/** Where the waiter learns how far projections have got; the database, or a test's failing stand-in. */
@FunctionalInterface
public interface ProgressSource {

    ProjectionProgress read(Set<String> projections, Set<String> accounts) throws Exception;
}
