package dev.tally.command.ledger;

import static dev.tally.command.ledger.DeciderSpecification.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.command.ledger.AccountCommand.DepositFunds;
import dev.tally.command.ledger.AccountCommand.OpenAccount;
import dev.tally.command.ledger.AccountCommand.WithdrawFunds;
import dev.tally.command.ledger.AccountEvent.AccountOpened;
import dev.tally.command.ledger.AccountEvent.FundsDeposited;
import dev.tally.command.ledger.AccountEvent.FundsWithdrawn;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AccountDeciderTest {

    private static final Asset USD = Asset.of("USD").orElseThrow();
    private static final CommandContext CTX = CommandContext.direct("cmd-1", "alice",
            Instant.parse("2026-11-23T10:00:00Z"), "teller-7", "corr-1", null);
    private static final AccountOpened OPENED = new AccountOpened("alice", USD, 0, Map.of());

    static OpenAccount open(String currency, String overdraft) {
        return new OpenAccount(CTX, "alice", currency, overdraft, Map.of());
    }

    static DepositFunds deposit(String amount) {
        return new DepositFunds(CTX, "tx-1", amount, null, Map.of());
    }

    static WithdrawFunds withdraw(String amount) {
        return new WithdrawFunds(CTX, "tx-1", amount, null, Map.of());
    }

    @Nested
    class Opening {

        @Test
        void an_unused_id_opens_an_account_with_the_currency_and_overdraft_limit() {
            given().when(new OpenAccount(CTX, "alice", "USD", "50.00", Map.of("tier", "gold")))
                    .then(new AccountOpened("alice", USD, 5000, Map.of("tier", "gold")));
        }

        @Test
        void without_an_overdraft_limit_the_limit_is_zero() {
            given().when(open("JPY", null)).then(new AccountOpened("alice", new Asset("JPY", 0), 0, Map.of()));
        }

        @Test
        void credits_are_an_asset_without_decimals() {
            given().when(open("CREDITS", null)).then(new AccountOpened("alice", Asset.CREDITS, 0, Map.of()));
        }

        @Test
        void an_existing_account_cannot_be_opened_again() {
            given(OPENED).when(open("USD", null)).thenRejected("account-exists");
        }

        @Test
        void an_unknown_currency_is_refused() {
            given().when(open("XYZ", null)).thenInvalid("currency");
            given().when(open("usd", null)).thenInvalid("currency");
            given().when(open("XAU", null)).thenInvalid("currency");
        }

        @Test
        void an_overdraft_limit_finer_than_the_currency_is_refused() {
            given().when(open("USD", "1.001")).thenInvalid("overdraftLimit");
        }

        @Test
        void a_blank_owner_is_refused() {
            given().when(new OpenAccount(CTX, " ", "USD", null, Map.of())).thenInvalid("owner");
        }
    }

    @Nested
    class Depositing {

        @Test
        void a_deposit_raises_the_balance() {
            given(OPENED, new FundsDeposited("tx-0", 1000, 1000, null, Map.of()))
                    .when(deposit("30.00")).then(new FundsDeposited("tx-1", 3000, 4000, null, Map.of()));
        }

        @Test
        void fewer_decimals_than_the_currency_allows_are_fine() {
            given(OPENED).when(deposit("30")).then(new FundsDeposited("tx-1", 3000, 3000, null, Map.of()));
        }

        @Test
        void a_deposit_to_an_account_that_does_not_exist_is_refused() {
            given().when(deposit("30.00")).thenRejected("account-not-found");
        }

        @Test
        void more_decimals_than_the_currency_allows_are_refused() {
            given(OPENED).when(deposit("30.001")).thenInvalid("amount");
        }

        @Test
        void zero_is_refused() {
            given(OPENED).when(deposit("0.00")).thenInvalid("amount");
        }

        @Test
        void negative_and_exponent_notation_are_refused() {
            given(OPENED).when(deposit("-5.00")).thenInvalid("amount");
            given(OPENED).when(deposit("1e3")).thenInvalid("amount");
        }

        @Test
        void an_amount_above_the_documented_maximum_is_refused() {
            given(OPENED).when(deposit("10000000000000.01")).thenInvalid("amount");
            given(OPENED).when(deposit("10000000000000.00")).then(
                    new FundsDeposited("tx-1", Money.MAX_AMOUNT_MINOR, Money.MAX_AMOUNT_MINOR, null, Map.of()));
        }

        @Test
        void a_deposit_that_would_overflow_the_balance_is_refused() {
            given(OPENED, new FundsDeposited("tx-0", 1, Long.MAX_VALUE - 10, null, Map.of()))
                    .when(deposit("1.00")).thenInvalid("amount");
        }
    }

    @Nested
    class Withdrawing {

        @Test
        void a_withdrawal_covered_by_the_balance_lowers_it() {
            given(OPENED, new FundsDeposited("tx-0", 3000, 3000, null, Map.of()))
                    .when(withdraw("20.00")).then(new FundsWithdrawn("tx-1", 2000, 1000, null, Map.of()));
        }

        @Test
        void a_withdrawal_of_the_whole_balance_is_allowed() {
            given(OPENED, new FundsDeposited("tx-0", 1000, 1000, null, Map.of()))
                    .when(withdraw("10.00")).then(new FundsWithdrawn("tx-1", 1000, 0, null, Map.of()));
        }

        @Test
        void a_withdrawal_beyond_the_balance_is_refused_as_insufficient_funds() {
            Rejection rejection = given(OPENED, new FundsDeposited("tx-0", 1000, 1000, null, Map.of()))
                    .when(withdraw("100.00")).thenRejected("insufficient-funds");
            assertEquals("Taking 100.00 USD needs more than the 10.00 USD available", rejection.detail());
        }

        @Test
        void the_overdraft_limit_counts_as_available() {
            AccountOpened withOverdraft = new AccountOpened("alice", USD, 5000, Map.of());
            given(withOverdraft).when(withdraw("50.00")).then(new FundsWithdrawn("tx-1", 5000, -5000, null, Map.of()));
            given(withOverdraft).when(withdraw("50.01")).thenRejected("insufficient-funds");
        }

        @Test
        void a_withdrawal_from_an_account_that_does_not_exist_is_refused() {
            given().when(withdraw("1.00")).thenRejected("account-not-found");
        }

        @Test
        void a_malformed_amount_is_refused() {
            given(OPENED).when(withdraw("ten")).thenInvalid("amount");
        }
    }

    @Test
    void every_event_counts_as_one_version() {
        AccountState state = AccountDecider.INITIAL;
        state = AccountDecider.evolve(state, OPENED);
        state = AccountDecider.evolve(state, new FundsDeposited("tx-0", 3000, 3000, null, Map.of()));
        state = AccountDecider.evolve(state, new FundsWithdrawn("tx-1", 2000, 1000, null, Map.of()));

        assertEquals(new AccountState.Open(new Account("alice", USD, 0, 1000, 3, Map.of())), state);
    }

    @Nested
    class ACustomer {

        private static CommandContext as(String customer) {
            return CommandContext.direct("cmd-2", "alice", Instant.parse("2026-11-23T10:00:00Z"), customer, "corr-2",
                    null, customer);
        }

        @Test
        void moves_money_on_its_own_account() {
            given(OPENED, new FundsDeposited("tx-0", 1000, 1000, null, Map.of()))
                    .when(new WithdrawFunds(as("alice"), "tx-1", "3.00", null, Map.of()))
                    .then(new FundsWithdrawn("tx-1", 300, 700, null, Map.of()));
        }

        @Test
        void finds_anothers_account_missing_whatever_it_tries() {
            given(OPENED).when(new DepositFunds(as("mallory"), "tx-1", "1.00", null, Map.of()))
                    .thenRejected("account-not-found");
            given(OPENED).when(new WithdrawFunds(as("mallory"), "tx-1", "1.00", null, Map.of()))
                    .thenRejected("account-not-found");
            given(OPENED).when(new AccountCommand.CloseAccount(as("mallory"))).thenRejected("account-not-found");
            given(OPENED).when(new AccountCommand.FreezeAccount(as("mallory"), "mine now"))
                    .thenRejected("account-not-found");
        }

        @Test
        void opens_accounts_only_for_itself() {
            given().when(new OpenAccount(as("alice"), "alice", "USD", null, Map.of()))
                    .then(new AccountOpened("alice", USD, 0, Map.of()));
            given().when(new OpenAccount(as("mallory"), "alice", "USD", null, Map.of()))
                    .thenRejected("account-not-found");
        }
    }
}
