package dev.tally.command.ledger;

/** An account as the write model knows it: just enough to decide the next command. */
public sealed interface AccountState {

    /** How many events the account has; the version clients see and {@code If-Match} compares. */
    long version();

    /** No event yet: the id is free. */
    record Unopened() implements AccountState {
        @Override
        public long version() {
            return 0;
        }
    }

    record Open(String owner, Asset asset, long overdraftLimitMinor, long balanceMinor, long version)
            implements AccountState {
    }
}
