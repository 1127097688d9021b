-- Combo tickets and the wealth plan they are invested in (issue 8).
--
-- One wealth plan at the wealth rail (Huijinbao) per combo expiry: every combo product names the
-- plan its money is invested in, and products sharing a plan share its expiry, because the only
-- rail operation that pays yield (redeem-all) closes the whole position. The plan row is the
-- durable expiry job: at expires_at it stops new instructions, waits for the ones in flight,
-- redeems everything with the yield and books it.

CREATE TABLE wealth_plans (
    plan_id         text PRIMARY KEY,               -- the rail's plan id
    rail            text        NOT NULL,
    close_id        text        NOT NULL UNIQUE,    -- ours: the redeem-all request id is close_id + round
    currency        char(3)     NOT NULL,
    expires_at      timestamptz NOT NULL,
    state           text        NOT NULL CHECK (state IN ('OPEN', 'CLOSING', 'CLOSED', 'MANUAL_REVIEW')),
    round           int         NOT NULL DEFAULT 1,
    attempts        int         NOT NULL DEFAULT 0,
    sent            boolean     NOT NULL DEFAULT false, -- the redeem-all of this round may have reached the rail
    next_attempt_at timestamptz,
    window_ends_at  timestamptz,
    lease_owner     text,
    lease_until     timestamptz,
    rail_txn_id     text,
    rail_at         timestamptz,
    principal_minor bigint,
    yield_minor     bigint,
    adjustment_minor bigint     NOT NULL DEFAULT 0, -- principal moved outside the platform, accepted by an admin
    reason          text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    closed_at       timestamptz
);
CREATE INDEX wealth_plans_due ON wealth_plans (expires_at) WHERE state IN ('OPEN', 'CLOSING');

CREATE TABLE combo_products (
    product_id text PRIMARY KEY REFERENCES products (product_id),
    plan_id    text NOT NULL REFERENCES wealth_plans (plan_id),
    expires_on date NOT NULL
);
CREATE INDEX combo_products_plan ON combo_products (plan_id);

-- The margin D − ΣS of a combo is recognised with the redemption that completes the ticket; the
-- column records which one, so rebuilding that entry later gives the same amounts. NULL for the
-- spot row of a single ticket (its margin is D − S, always with its only redemption).
ALTER TABLE ticket_spots ADD COLUMN margin_minor bigint CHECK (margin_minor >= 0);

-- Expiry: the state turns EXPIRED first (stopping redemption and refund under the row lock), then
-- the breakage entry is booked and this flag set; a crash in between is picked up by the sweep.
ALTER TABLE tickets ADD COLUMN expiry_booked boolean NOT NULL DEFAULT false;
CREATE INDEX tickets_issued_until ON tickets (valid_until) WHERE state = 'ISSUED';
CREATE INDEX tickets_expiry_unbooked ON tickets (ticket_id) WHERE state = 'EXPIRED' AND NOT expiry_booked;

-- Invest (subscribe) and withdraw (redeem) instructions: PENDING → SENT → DONE | AWAITING_FUNDS |
-- RETRYING → MANUAL_REVIEW, and CANCELLED when the plan closes before they were sent.
CREATE TABLE plan_instructions (
    instruction_id  text PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('INVEST', 'WITHDRAW')),
    purpose         text        NOT NULL CHECK (purpose IN ('ISSUANCE', 'REDEMPTION', 'REFUND')),
    plan_id         text        NOT NULL REFERENCES wealth_plans (plan_id),
    order_id        text        NOT NULL REFERENCES orders (order_id),
    ticket_id       text REFERENCES tickets (ticket_id),
    spot_id         text,
    amount_minor    bigint      NOT NULL CHECK (amount_minor > 0),
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
    rail_at         timestamptz,
    reason          text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX plan_instructions_invest ON plan_instructions (order_id) WHERE kind = 'INVEST';
CREATE UNIQUE INDEX plan_instructions_withdraw ON plan_instructions (ticket_id, COALESCE(spot_id, '')) WHERE kind = 'WITHDRAW';
CREATE INDEX plan_instructions_due ON plan_instructions (state, next_attempt_at);
CREATE INDEX plan_instructions_plan ON plan_instructions (plan_id, state);

-- The yield of a closed plan attributed to its tickets (README: "Yield attribution").
CREATE TABLE ticket_yields (
    ticket_id   text           NOT NULL REFERENCES tickets (ticket_id),
    plan_id     text           NOT NULL REFERENCES wealth_plans (plan_id),
    weight      numeric(38, 0) NOT NULL CHECK (weight >= 0),  -- fen × daily closes held
    yield_minor bigint         NOT NULL CHECK (yield_minor >= 0),
    currency    char(3)        NOT NULL,
    PRIMARY KEY (ticket_id, plan_id)
);
CREATE INDEX ticket_yields_plan ON ticket_yields (plan_id);
