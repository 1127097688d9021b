-- Ticketing's own tables, in schema "ticketing" next to the journal's schema "ledger" on the same
-- database. Money columns are bigint minor units (fen) plus a currency; never numeric or float.
-- State-machine rows carry a lease (lease_owner, lease_until) so that a request thread and the
-- background jobs never drive the same row at once; idempotency at the rail and in the ledger makes
-- a second driver harmless anyway, the lease only keeps the history clean.

CREATE TABLE platform (
    id          smallint PRIMARY KEY CHECK (id = 1),
    name        text        NOT NULL,
    ledger_id   text        NOT NULL,
    currency    char(3)     NOT NULL,
    admin_phone text        NOT NULL,
    time_zone   text        NOT NULL,
    created_at  timestamptz NOT NULL
);

-- The platform's own settlement accounts, one per rail; versioned like party accounts.
CREATE TABLE platform_accounts (
    rail          text        NOT NULL,
    version       int         NOT NULL,
    identity      text        NOT NULL,
    identity_type text        NOT NULL,
    holder_name   text,
    changed_at    timestamptz NOT NULL,
    changed_by    text        NOT NULL,
    PRIMARY KEY (rail, version)
);

CREATE TABLE parties (
    party_id        text PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('SCENIC_SPOT', 'DISTRIBUTOR')),
    name            text        NOT NULL,
    contact_phone   text        NOT NULL,
    parent_id       text REFERENCES parties (party_id),
    account_version int         NOT NULL,
    created_at      timestamptz NOT NULL
);

-- Every account setting a party ever had. Orders and payouts point at the version they started
-- with, so a change never redirects money already in flight.
CREATE TABLE party_accounts (
    party_id      text        NOT NULL REFERENCES parties (party_id),
    version       int         NOT NULL,
    rail          text        NOT NULL,
    identity      text        NOT NULL,
    identity_type text        NOT NULL,
    holder_name   text,
    agreement_no  text,
    changed_at    timestamptz NOT NULL,
    changed_by    text        NOT NULL,
    reason        text        NOT NULL,
    PRIMARY KEY (party_id, version)
);

CREATE TABLE audit_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text        NOT NULL,
    action  text        NOT NULL,
    subject text        NOT NULL,
    detail  text        NOT NULL
);

-- party_id '*' is the platform default; a party's own row overrides it.
CREATE TABLE fee_rules (
    kind         text        NOT NULL CHECK (kind IN ('ISSUANCE', 'PAYOUT')),
    party_id     text        NOT NULL,
    fixed_minor  bigint      NOT NULL CHECK (fixed_minor >= 0),
    basis_points int         NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
    min_minor    bigint      NOT NULL CHECK (min_minor >= 0),
    max_minor    bigint CHECK (max_minor >= min_minor),
    version      int         NOT NULL,
    updated_at   timestamptz NOT NULL,
    updated_by   text        NOT NULL,
    PRIMARY KEY (kind, party_id)
);

-- Every publish, update and unpublish takes the next value; distributors sync "changes since".
CREATE SEQUENCE pool_change_seq;

CREATE TABLE products (
    product_id      text PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('SINGLE', 'COMBO')),
    publisher_id    text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('PUBLISHED', 'UNPUBLISHED')),
    current_version int         NOT NULL,
    change_seq      bigint      NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX products_change_seq ON products (change_seq);

CREATE TABLE product_versions (
    product_id              text        NOT NULL REFERENCES products (product_id),
    version                 int         NOT NULL,
    name                    text        NOT NULL,
    description             text        NOT NULL,
    distributor_price_minor bigint      NOT NULL CHECK (distributor_price_minor > 0),
    currency                char(3)     NOT NULL,
    valid_from              date        NOT NULL,
    valid_until             date        NOT NULL,
    valid_days              int         NOT NULL CHECK (valid_days > 0),
    usage_rules             text        NOT NULL,
    published_at            timestamptz NOT NULL,
    PRIMARY KEY (product_id, version)
);

-- The spots a product is valid at and each one's scenic settlement price: one row for a single
-- ticket, several for a combo.
CREATE TABLE product_spots (
    product_id         text   NOT NULL,
    version            int    NOT NULL,
    spot_id            text   NOT NULL REFERENCES parties (party_id),
    scenic_price_minor bigint NOT NULL CHECK (scenic_price_minor >= 0),
    PRIMARY KEY (product_id, version, spot_id),
    FOREIGN KEY (product_id, version) REFERENCES product_versions (product_id, version)
);

CREATE TABLE distributor_overlays (
    distributor_id     text        NOT NULL REFERENCES parties (party_id),
    product_id         text        NOT NULL REFERENCES products (product_id),
    name               text        NOT NULL,
    description        text        NOT NULL,
    retail_price_minor bigint      NOT NULL CHECK (retail_price_minor >= 0),
    currency           char(3)     NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (distributor_id, product_id)
);

-- Optional capacity per product, visit date and slot ('' = the whole day). No row = unlimited.
CREATE TABLE inventory (
    product_id text NOT NULL REFERENCES products (product_id),
    visit_date date NOT NULL,
    slot       text NOT NULL,
    capacity   int  NOT NULL CHECK (capacity >= 0),
    sold       int  NOT NULL DEFAULT 0 CHECK (sold >= 0),
    PRIMARY KEY (product_id, visit_date, slot)
);

CREATE TABLE orders (
    order_id              text PRIMARY KEY,
    distributor_id        text        NOT NULL REFERENCES parties (party_id),
    distributor_order_id  text        NOT NULL,
    request_digest        text        NOT NULL,
    product_id            text        NOT NULL REFERENCES products (product_id),
    product_version       int         NOT NULL,
    visit_date            date        NOT NULL,
    slot                  text        NOT NULL,
    quantity              int         NOT NULL CHECK (quantity > 0),
    unit_price_minor      bigint      NOT NULL CHECK (unit_price_minor > 0),
    fee_minor             bigint      NOT NULL CHECK (fee_minor >= 0),
    total_minor           bigint      NOT NULL CHECK (total_minor > 0),
    currency              char(3)     NOT NULL,
    rail                  text        NOT NULL,
    payer_account_version int         NOT NULL,
    state                 text        NOT NULL,
    charge_round          int         NOT NULL DEFAULT 1,
    attempts              int         NOT NULL DEFAULT 0,
    next_attempt_at       timestamptz,
    lease_owner           text,
    lease_until           timestamptz,
    rail_txn_id           text,
    failure_reason        text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    UNIQUE (distributor_id, distributor_order_id)
);
CREATE INDEX orders_due ON orders (next_attempt_at) WHERE state IN ('RECEIVED', 'CHARGING', 'CHARGE_UNKNOWN');

CREATE SEQUENCE ticket_no_seq START 100000000000;

CREATE TABLE tickets (
    ticket_id       text PRIMARY KEY,
    ticket_no       text        NOT NULL UNIQUE,
    order_id        text        NOT NULL REFERENCES orders (order_id),
    unit_index      int         NOT NULL,
    product_id      text        NOT NULL,
    product_version int         NOT NULL,
    distributor_id  text        NOT NULL,
    state           text        NOT NULL,
    face_minor      bigint      NOT NULL,
    fee_share_minor bigint      NOT NULL,
    currency        char(3)     NOT NULL,
    valid_from      timestamptz NOT NULL,
    valid_until     timestamptz NOT NULL,
    code            text        NOT NULL,
    issued_at       timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (order_id, unit_index)
);

-- One row per spot a ticket is valid at; the redemption columns fill once (a spot redeems once).
CREATE TABLE ticket_spots (
    ticket_id          text   NOT NULL REFERENCES tickets (ticket_id),
    spot_id            text   NOT NULL,
    scenic_price_minor bigint NOT NULL,
    redeemed_at        timestamptz,
    redeemed_by        text,
    PRIMARY KEY (ticket_id, spot_id)
);

CREATE TABLE payouts (
    payout_id       text PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('SCENIC_SETTLEMENT', 'REFUND')),
    ticket_id       text        NOT NULL REFERENCES tickets (ticket_id),
    order_id        text        NOT NULL,
    party_id        text        NOT NULL REFERENCES parties (party_id),
    account_version int         NOT NULL,
    rail            text        NOT NULL,
    gross_minor     bigint      NOT NULL CHECK (gross_minor > 0),
    fee_minor       bigint      NOT NULL CHECK (fee_minor >= 0),
    net_minor       bigint      NOT NULL CHECK (net_minor >= 0),
    currency        char(3)     NOT NULL,
    state           text        NOT NULL,
    round           int         NOT NULL DEFAULT 1,
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    window_ends_at  timestamptz,
    lease_owner     text,
    lease_until     timestamptz,
    hold_sequence   bigint,
    rail_txn_id     text,
    reason          text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (kind, ticket_id, party_id)
);
CREATE INDEX payouts_state ON payouts (state, next_attempt_at);

-- The outbox: one row per message, keyed by a business id, so a message is queued once.
CREATE TABLE notifications (
    notification_id text PRIMARY KEY,
    recipient       text        NOT NULL,
    template        text        NOT NULL,
    body            text        NOT NULL,
    params          text        NOT NULL,
    subject_id      text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('PENDING', 'SENT', 'FAILED')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_owner     text,
    lease_until     timestamptz,
    provider_ref    text,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'PENDING';

-- Every state transition of orders, tickets and payouts, correlated by order.
CREATE TABLE events (
    id           bigserial PRIMARY KEY,
    order_id     text        NOT NULL,
    subject_type text        NOT NULL,
    subject_id   text        NOT NULL,
    from_state   text,
    to_state     text        NOT NULL,
    event        text        NOT NULL,
    detail       text        NOT NULL,
    at           timestamptz NOT NULL
);
CREATE INDEX events_order ON events (order_id, id);

-- db-scheduler's table (com.github.kagkarlsson:db-scheduler 16.x, PostgreSQL layout).
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    state                text,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority ON scheduled_tasks (priority DESC, execution_time ASC);
