package dev.tally.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void a_customer_is_confined_to_its_own_accounts() {
        Caller alice = new Caller("alice", Set.of(Role.CUSTOMER));
        assertEquals("alice", alice.confinedToOwner());
        assertTrue(alice.mayReach("alice"));
        assertFalse(alice.mayReach("bob"));
    }

    @Test
    void any_staff_role_lifts_the_confinement() {
        for (Role staff : Set.of(Role.TELLER, Role.AUDITOR, Role.ADMIN)) {
            Caller caller = new Caller("someone", Set.of(Role.CUSTOMER, staff));
            assertNull(caller.confinedToOwner(), staff.toString());
            assertTrue(caller.mayReach("bob"));
        }
    }

    @Test
    void a_missing_role_is_a_403_problem_that_names_what_is_needed() {
        Caller auditor = new Caller("carol", Set.of(Role.AUDITOR));
        AccessProblem problem = assertThrows(AccessProblem.class,
                () -> auditor.require("send account commands", Role.CUSTOMER, Role.TELLER));
        assertEquals(403, problem.status());
        assertEquals("forbidden", problem.code());
        assertEquals("carol may not send account commands (needs the role customer or teller)", problem.getMessage());
        assertEquals(auditor, auditor.require("read the audit trail", Role.AUDITOR, Role.ADMIN));
    }

    @Test
    void with_authentication_off_the_actor_header_names_the_caller_who_may_do_everything() {
        Caller caller = Caller.unauthenticated(null);
        assertEquals("anonymous", caller.subject());
        assertNull(caller.confinedToOwner());
        assertEquals("teller-9", Caller.unauthenticated("teller-9").subject());
    }

    @Test
    void only_on_and_off_are_modes() {
        assertEquals(AuthMode.ON, AuthMode.parse("on"));
        assertEquals(AuthMode.OFF, AuthMode.parse(" OFF "));
        assertThrows(IllegalArgumentException.class, () -> AuthMode.parse("false"));
        assertThrows(IllegalArgumentException.class, () -> AuthMode.parse(""));
    }

    @Test
    void roles_come_from_the_groups_claim_by_their_lower_case_names() {
        assertEquals(Role.AUDITOR, Role.fromClaim("auditor").orElseThrow());
        assertTrue(Role.fromClaim("Auditor").isEmpty());
        assertTrue(Role.fromClaim("superuser").isEmpty());
    }
}
