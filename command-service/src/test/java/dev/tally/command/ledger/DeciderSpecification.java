package dev.tally.command.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;

/** given(events) / when(command) / then(events or rejection), for the pure account decider. */
final class DeciderSpecification {

    private final List<AccountEvent> history;
    private Decision decision;

    private DeciderSpecification(List<AccountEvent> history) {
        this.history = history;
    }

    static DeciderSpecification given(AccountEvent... history) {
        return new DeciderSpecification(List.of(history));
    }

    DeciderSpecification when(AccountCommand command) {
        AccountState state = AccountDecider.INITIAL;
        for (AccountEvent event : history) {
            state = AccountDecider.evolve(state, event);
        }
        decision = AccountDecider.decide(command, state);
        return this;
    }

    void then(AccountEvent... expected) {
        Decision.Accepted accepted = assertInstanceOf(Decision.Accepted.class, decision, () -> "expected events, got " + decision);
        assertEquals(List.of(expected), accepted.events());
    }

    Rejection thenRejected(String code) {
        Decision.Rejected rejected = assertInstanceOf(Decision.Rejected.class, decision, () -> "expected a rejection, got " + decision);
        assertEquals(code, rejected.rejection().code(), () -> "rejection " + rejected.rejection());
        return rejected.rejection();
    }

    void thenInvalid(String field) {
        assertEquals(field, thenRejected("validation").field());
    }
}
