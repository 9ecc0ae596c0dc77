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

    record Open(Account account) implements AccountState {
        @Override
        public long version() {
            return account.version();
        }
    }

    /** Receives money; refuses withdrawals and outgoing transfers. */
    record Frozen(Account account, String reason) implements AccountState {
        @Override
        public long version() {
            return account.version();
        }
    }

    /** Refuses everything. Only reachable with a zero balance and nothing in flight. */
    record Closed(Account account) implements AccountState {
        @Override
        public long version() {
            return account.version();
        }
    }
}
