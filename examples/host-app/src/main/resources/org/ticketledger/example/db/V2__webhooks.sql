-- Distributor webhooks: one endpoint per distributor, a cursor over ticketing's event history, and
-- one delivery row per (event, distributor) so that each event is delivered at least once.

CREATE TABLE webhook_endpoints (
    distributor_id text PRIMARY KEY,
    url            text        NOT NULL,
    -- Signs deliveries (HMAC-SHA256); like API key secrets it must be readable, never logged.
    secret         text        NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE webhook_cursor (
    name          text PRIMARY KEY,
    last_event_id bigint NOT NULL
);

CREATE TABLE webhook_deliveries (
    event_id        text PRIMARY KEY,
    distributor_id  text        NOT NULL,
    type            text        NOT NULL,
    payload         text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_status     int,
    last_error      text,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_distributor ON webhook_deliveries (distributor_id, created_at);
