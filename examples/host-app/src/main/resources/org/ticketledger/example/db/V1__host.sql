-- Host-app tables: API keys, nonces, idempotency records. Schema "host", separate from the ledger's
-- and ticketing's own schemas so each component migrates independently.

CREATE TABLE api_keys (
    key_id          text PRIMARY KEY,
    distributor_id  text        NOT NULL,
    -- The HMAC secret must be readable to verify signatures (unlike a password); guard this table
    -- like a key store. It is never logged or returned after issue.
    secret          text        NOT NULL,
    created_at      timestamptz NOT NULL,
    revoked_at      timestamptz
);
CREATE INDEX api_keys_distributor ON api_keys (distributor_id);

CREATE TABLE rate_limits (
    distributor_id  text PRIMARY KEY,
    per_minute      bigint  NOT NULL CHECK (per_minute > 0),
    burst           integer NOT NULL CHECK (burst > 0)
);

-- A nonce is kept until its request could no longer pass the timestamp window; the primary key
-- makes "first use wins" atomic across app instances.
CREATE TABLE nonces (
    key_id      text        NOT NULL,
    nonce       text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (key_id, nonce)
);
CREATE INDEX nonces_expiry ON nonces (expires_at);

CREATE TABLE idempotency_keys (
    principal       text        NOT NULL,
    idem_key        text        NOT NULL,
    request_hash    text        NOT NULL,
    method          text        NOT NULL,
    path            text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('IN_PROGRESS', 'DONE')),
    -- While IN_PROGRESS: the instant after which another attempt may take over (the first one
    -- crashed). Money-moving handlers are themselves idempotent by request id, so a takeover
    -- repeats nothing.
    locked_until    timestamptz NOT NULL,
    status          integer,
    content_type    text,
    location        text,
    response_body   text,
    created_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    PRIMARY KEY (principal, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
