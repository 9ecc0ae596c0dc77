package dev.tally.command.ledger;

import java.util.Map;

/**
 * Facts about one account, in the past tense. Envelope data (ids, sequence, time, actor) is added
 * where events leave the domain, so these records say only what happened.
 */
public sealed interface AccountEvent {

    record AccountOpened(String owner, Asset asset, long overdraftLimitMinor, Map<String, String> metadata)
            implements AccountEvent {
        public AccountOpened {
            metadata = Map.copyOf(metadata);
        }
    }

    record FundsDeposited(String transactionId, long amountMinor, long balanceAfterMinor, String reference,
                          Map<String, String> metadata) implements AccountEvent {
        public FundsDeposited {
            metadata = Map.copyOf(metadata);
        }
    }

    record FundsWithdrawn(String transactionId, long amountMinor, long balanceAfterMinor, String reference,
                          Map<String, String> metadata) implements AccountEvent {
        public FundsWithdrawn {
            metadata = Map.copyOf(metadata);
        }
    }
}
