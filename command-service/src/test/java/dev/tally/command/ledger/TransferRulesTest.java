package dev.tally.command.ledger;

import static dev.tally.command.ledger.DeciderSpecification.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.command.ledger.AccountCommand.CompleteTransfer;
import dev.tally.command.ledger.AccountCommand.ReceiveTransfer;
import dev.tally.command.ledger.AccountCommand.RefundTransfer;
import dev.tally.command.ledger.AccountCommand.SendTransfer;
import dev.tally.command.ledger.AccountEvent.AccountClosed;
import dev.tally.command.ledger.AccountEvent.AccountFrozen;
import dev.tally.command.ledger.AccountEvent.AccountOpened;
import dev.tally.command.ledger.AccountEvent.FundsDeposited;
import dev.tally.command.ledger.AccountEvent.TransferCompleted;
import dev.tally.command.ledger.AccountEvent.TransferCredited;
import dev.tally.command.ledger.AccountEvent.TransferDebited;
import dev.tally.command.ledger.AccountEvent.TransferRefunded;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each account's part in the transfer saga. */
class TransferRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Asset USD = Asset.of("USD").orElseThrow();
    private static final AccountOpened OPENED = new AccountOpened("alice", USD, 0, Map.of());
    private static final FundsDeposited FIFTY = new FundsDeposited("tx-0", 5000, 5000, null, Map.of());
    private static final TransferDebited DEBITED = new TransferDebited("t-1", "bob", 2000, 3000, "rent", Map.of());

    private static CommandContext ctx() {
        return CommandContext.direct("cmd-5", "alice", NOW, "alice", "cmd-5", null);
    }

    private static SendTransfer send(String amount) {
        return new SendTransfer(ctx(), "t-1", "bob", amount, "rent", Map.of(), null);
    }

    private static ReceiveTransfer receive(String currency) {
        return new ReceiveTransfer(ctx(), "t-1", "carol", 2000, currency, "rent", Map.of(), null);
    }

    @Test
    void sending_debits_the_source_and_holds_the_money_in_flight() {
        given(OPENED, FIFTY).when(send("20.00")).then(DEBITED);
    }

    @Test
    void sending_more_than_is_available_is_refused() {
        given(OPENED, FIFTY).when(send("50.01")).thenRejected("insufficient-funds");
    }

    @Test
    void sending_to_a_target_known_to_hold_another_currency_is_refused_before_any_debit() {
        given(OPENED, FIFTY).when(send("1.00").withTarget(new AccountCommand.TargetAccount("EUR", false)))
                .thenRejected("currency-mismatch");
    }

    @Test
    void sending_to_a_target_known_to_be_closed_is_refused_before_any_debit() {
        given(OPENED, FIFTY).when(send("1.00").withTarget(new AccountCommand.TargetAccount("USD", true)))
                .thenRejected("account-closed");
    }

    @Test
    void sending_to_a_target_known_to_hold_the_same_currency_debits() {
        given(OPENED, FIFTY).when(send("20.00").withTarget(new AccountCommand.TargetAccount("USD", false))).then(DEBITED);
    }

    @Test
    void sending_to_oneself_is_refused() {
        given(OPENED, FIFTY).when(new SendTransfer(ctx(), "t-1", "alice", "1.00", null, Map.of(), null))
                .thenInvalid("toAccountId");
    }

    @Test
    void sending_a_transfer_id_already_in_flight_is_refused() {
        given(OPENED, FIFTY, DEBITED).when(send("1.00")).thenRejected("transfer-exists");
    }

    @Test
    void sending_from_an_account_that_does_not_exist_is_refused() {
        given().when(send("1.00")).thenRejected("account-not-found");
    }

    @Test
    void receiving_in_the_same_currency_credits_the_target() {
        given(OPENED, FIFTY).when(receive("USD"))
                .then(new TransferCredited("t-1", "carol", 2000, 7000, "rent", Map.of()));
    }

    @Test
    void a_frozen_target_still_receives() {
        given(OPENED, new AccountFrozen(null)).when(receive("USD"))
                .then(new TransferCredited("t-1", "carol", 2000, 2000, "rent", Map.of()));
    }

    @Test
    void a_target_in_another_currency_refuses() {
        given(OPENED).when(receive("EUR")).thenRejected("currency-mismatch");
    }

    @Test
    void a_closed_target_refuses() {
        given(OPENED, new AccountClosed()).when(receive("USD")).thenRejected("account-closed");
    }

    @Test
    void a_target_that_does_not_exist_refuses() {
        given().when(receive("USD")).thenRejected("account-not-found");
    }

    @Test
    void a_refund_returns_exactly_the_money_held_in_flight() {
        given(OPENED, FIFTY, DEBITED)
                .when(new RefundTransfer(ctx(), "t-1", "bob", 999_999, "account-closed", "closed"))
                .then(new TransferRefunded("t-1", "bob", 2000, 5000, "account-closed", "closed"));
    }

    @Test
    void a_refund_reaches_a_source_frozen_meanwhile() {
        given(OPENED, FIFTY, DEBITED, new AccountFrozen(null))
                .when(new RefundTransfer(ctx(), "t-1", "bob", 2000, "account-closed", null))
                .then(new TransferRefunded("t-1", "bob", 2000, 5000, "account-closed", null));
    }

    @Test
    void a_second_refund_of_the_same_transfer_is_refused() {
        given(OPENED, FIFTY, DEBITED, new TransferRefunded("t-1", "bob", 2000, 5000, "account-closed", null))
                .when(new RefundTransfer(ctx(), "t-1", "bob", 2000, "account-closed", null))
                .thenRejected("transfer-not-in-flight");
    }

    @Test
    void completing_releases_the_money_in_flight_without_touching_the_balance() {
        given(OPENED, FIFTY, DEBITED).when(new CompleteTransfer(ctx(), "t-1", "bob", 2000))
                .then(new TransferCompleted("t-1", "bob", 2000));
        AccountState after = AccountDecider.evolve(AccountDecider.evolve(AccountDecider.evolve(
                AccountDecider.evolve(AccountDecider.INITIAL, OPENED), FIFTY), DEBITED),
                new TransferCompleted("t-1", "bob", 2000));
        assertEquals(new AccountState.Open(new Account("alice", USD, 0, 3000, 4, Map.of())), after);
    }

    @Test
    void completing_a_transfer_that_is_not_in_flight_is_refused() {
        given(OPENED, FIFTY).when(new CompleteTransfer(ctx(), "t-1", "bob", 2000)).thenRejected("transfer-not-in-flight");
    }
}
