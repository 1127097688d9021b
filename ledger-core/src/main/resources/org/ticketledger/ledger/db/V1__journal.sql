-- TicketLedger journal schema, version 1.
-- Every table is keyed by ledger_id first so that it distributes by ledger (Citus:
-- create_distributed_table(..., 'ledger_id'), colocated), and no foreign key crosses ledgers.
-- entries, postings and accounts are append-only: triggers refuse UPDATE, DELETE and TRUNCATE.
-- ledgers (the head row) and balances are derived state maintained by the writer in the same
-- transaction as the entries they summarise.

CREATE TABLE ledgers (
    ledger_id        text        NOT NULL,
    currency         char(3)     NOT NULL,
    last_sequence    bigint      NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    last_hash        bytea       NOT NULL CHECK (length(last_hash) = 32),
    last_recorded_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ledger_id)
);

CREATE TABLE accounts (
    ledger_id  text        NOT NULL REFERENCES ledgers (ledger_id),
    code       text        NOT NULL,
    type       text        NOT NULL CHECK (type IN ('ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE')),
    policy     text        NOT NULL CHECK (policy IN ('NONE', 'DEBITS_MUST_NOT_EXCEED_CREDITS', 'CREDITS_MUST_NOT_EXCEED_DEBITS')),
    metadata   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    opened_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ledger_id, code)
);

CREATE TABLE entries (
    ledger_id        text        NOT NULL REFERENCES ledgers (ledger_id),
    sequence         bigint      NOT NULL CHECK (sequence >= 1),
    kind             smallint    NOT NULL CHECK (kind BETWEEN 1 AND 6),
    idempotency_key  text        NOT NULL,
    type             text        NOT NULL,
    reference        bigint      CHECK (reference IS NULL OR (reference >= 1 AND reference < sequence)),
    effective_at     timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL,
    hold_expires_at  timestamptz,
    metadata         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    request_digest   bytea       NOT NULL CHECK (length(request_digest) = 32),
    previous_hash    bytea       NOT NULL CHECK (length(previous_hash) = 32),
    hash             bytea       NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (ledger_id, sequence)
);
CREATE UNIQUE INDEX entries_idempotency_key ON entries (ledger_id, idempotency_key);
-- A hold is resolved (posted, voided or expired) at most once; an entry is reversed at most once.
CREATE UNIQUE INDEX entries_one_resolution ON entries (ledger_id, reference) WHERE kind IN (4, 5, 6);
CREATE UNIQUE INDEX entries_one_reversal ON entries (ledger_id, reference) WHERE kind = 2;
CREATE INDEX entries_holds_by_expiry ON entries (ledger_id, hold_expires_at) WHERE kind = 3 AND hold_expires_at IS NOT NULL;
CREATE INDEX entries_recorded_at ON entries (ledger_id, recorded_at);

CREATE TABLE postings (
    ledger_id    text     NOT NULL,
    sequence     bigint   NOT NULL,
    idx          smallint NOT NULL CHECK (idx >= 0),
    account_code text     NOT NULL,
    side         char(1)  NOT NULL CHECK (side IN ('D', 'C')),
    amount       bigint   NOT NULL CHECK (amount > 0),
    PRIMARY KEY (ledger_id, sequence, idx),
    FOREIGN KEY (ledger_id, sequence) REFERENCES entries (ledger_id, sequence),
    FOREIGN KEY (ledger_id, account_code) REFERENCES accounts (ledger_id, code)
);
CREATE INDEX postings_by_account ON postings (ledger_id, account_code, sequence);

CREATE TABLE balances (
    ledger_id       text   NOT NULL,
    account_code    text   NOT NULL,
    debits_posted   bigint NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_posted  bigint NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    debits_pending  bigint NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    credits_pending bigint NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    last_sequence   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (ledger_id, account_code),
    FOREIGN KEY (ledger_id, account_code) REFERENCES accounts (ledger_id, code)
);

CREATE FUNCTION refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER accounts_append_only BEFORE UPDATE OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
