package dev.tally.command.ledger;

import java.util.Map;

/** What a client asks of one account. Amounts are still decimal text: their scale depends on the account. */
public sealed interface AccountCommand {

    CommandContext context();

    record OpenAccount(CommandContext context, String owner, String currency, String overdraftLimit,
                       Map<String, String> metadata) implements AccountCommand {
        public OpenAccount {
            metadata = Map.copyOf(metadata);
        }
    }

    record DepositFunds(CommandContext context, String transactionId, String amount, String reference,
                        Map<String, String> metadata) implements AccountCommand {
        public DepositFunds {
            metadata = Map.copyOf(metadata);
        }
    }

    record WithdrawFunds(CommandContext context, String transactionId, String amount, String reference,
                         Map<String, String> metadata) implements AccountCommand {
        public WithdrawFunds {
            metadata = Map.copyOf(metadata);
        }
    }
}
