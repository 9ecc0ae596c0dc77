-- Webhooks: the first reactor (issue 15). Not a read model: these tables are never rebuilt, and
-- the reactor that fills webhook_deliveries has its own checkpoint (projection_checkpoints under
-- the name 'webhooks-reactor'), written in the same transaction as the deliveries it records.

create table webhook_subscriptions (
    id                    text primary key,                 -- wh_<uuid>
    url                   text not null,
    event_types           text[] not null,
    account_id            text,                             -- scope: one account,
    owner                 text,                             -- or every account of one owner, or (both null, admins) all
    -- Who may see and manage it besides admins: the owner of the accounts it covers (for an account
    -- scope, that account's owner when it was created). Null: admins only.
    visible_to            text,
    secret                text not null,                    -- whsec_<base64>, signs every delivery
    previous_secret       text,                             -- after a rotation, still signs until
    previous_secret_until timestamptz,
    status                text not null,                    -- ACTIVE, DISABLED, UNSUBSCRIBED (410), DELETED
    status_reason         text,
    failing_since         timestamptz,                      -- first failure since the last success
    created_by            text not null,
    created_at            timestamptz not null,
    updated_at            timestamptz not null
);
create index webhook_subscriptions_active on webhook_subscriptions (status) where status = 'ACTIVE';

-- The task outbox: one row per (subscription, event), so no crash, redelivery or replay of the
-- reactor makes a second task. The id is the webhook-id receivers deduplicate on.
create table webhook_deliveries (
    id              text primary key,                       -- msg_<uuid>, stable per subscription and event
    subscription_id text not null references webhook_subscriptions (id),
    event_id        text,                                   -- null for a test delivery
    account_id      text,
    sequence        bigint,
    event_type      text not null,
    payload         text not null,                          -- the exact body: every attempt sends the same bytes
    traceparent     text,
    status          text not null,                          -- PENDING, DELIVERED, PARKED, CANCELLED
    attempts        int not null default 0,
    next_attempt_at timestamptz not null,
    leased_until    timestamptz,                            -- an instance is sending it; after this, anyone may
    retry_until     timestamptz not null,                   -- failing after this parks it
    event_at        timestamptz not null,
    created_at      timestamptz not null,
    delivered_at    timestamptz,
    unique (subscription_id, event_id)
);
-- What is due, oldest first.
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'PENDING';
-- Order per subscription and account: only the lowest pending sequence may go.
create index webhook_deliveries_chain on webhook_deliveries (subscription_id, account_id, sequence)
    where status = 'PENDING';
create index webhook_deliveries_by_subscription on webhook_deliveries (subscription_id, created_at, id);

create table webhook_attempts (
    id              bigserial primary key,
    delivery_id     text not null references webhook_deliveries (id),
    started_at      timestamptz not null,
    latency_ms      bigint not null,
    response_code   int,                                    -- null: no answer (timeout, refused, ...)
    error           text,
    outcome         text not null,                          -- DELIVERED, FAILED, GONE, PARKED
    next_attempt_at timestamptz
);
create index webhook_attempts_by_delivery on webhook_attempts (delivery_id, id);

-- Whose account is it: the reactor learns owners from the AccountOpened events it reads, and asks
-- the accounts read model for accounts opened before it started.
create table webhook_account_owners (
    account_id text primary key,
    owner      text not null
);
