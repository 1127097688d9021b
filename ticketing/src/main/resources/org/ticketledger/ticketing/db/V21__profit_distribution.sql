-- Profit distribution (issue 8): configured shares of revenue streams, runs per period with a
-- maker-checker approval, settled offline (exported) or online through the payout machinery.

CREATE TABLE profit_rules (
    beneficiary_id text        NOT NULL REFERENCES parties (party_id),
    stream         text        NOT NULL,
    basis_points   int         NOT NULL CHECK (basis_points BETWEEN 1 AND 10000),
    updated_at     timestamptz NOT NULL,
    updated_by     text        NOT NULL,
    PRIMARY KEY (beneficiary_id, stream)
);

CREATE TABLE profit_runs (
    run_id            text PRIMARY KEY,
    period_from       timestamptz NOT NULL,
    period_to         timestamptz NOT NULL CHECK (period_to > period_from),
    mode              text        NOT NULL CHECK (mode IN ('OFFLINE', 'ONLINE')),
    state             text        NOT NULL CHECK (state IN ('PROPOSED', 'REJECTED', 'APPROVED', 'SETTLED')),
    currency          char(3)     NOT NULL,
    total_minor       bigint      NOT NULL CHECK (total_minor >= 0),
    from_sequence     bigint      NOT NULL,
    to_sequence       bigint      NOT NULL,
    booked            boolean     NOT NULL DEFAULT false, -- the shares entry is in the ledger
    proposed_by       text        NOT NULL,
    proposed_at       timestamptz NOT NULL,
    decided_by        text,
    decided_at        timestamptz,
    decision_note     text,
    settled_reference text,
    settled_at        timestamptz
);

CREATE TABLE profit_shares (
    run_id         text   NOT NULL REFERENCES profit_runs (run_id),
    beneficiary_id text   NOT NULL REFERENCES parties (party_id),
    stream         text   NOT NULL,
    base_minor     bigint NOT NULL,
    basis_points   int    NOT NULL,
    amount_minor   bigint NOT NULL CHECK (amount_minor >= 0),
    PRIMARY KEY (run_id, beneficiary_id, stream)
);

-- A payout may now pay a beneficiary's profit share: ticket_id then holds the run id.
ALTER TABLE payouts DROP CONSTRAINT payouts_ticket_id_fkey;
ALTER TABLE payouts DROP CONSTRAINT payouts_kind_check;
ALTER TABLE payouts ADD CONSTRAINT payouts_kind_check CHECK (kind IN ('SCENIC_SETTLEMENT', 'REFUND', 'PROFIT_SHARE'));
