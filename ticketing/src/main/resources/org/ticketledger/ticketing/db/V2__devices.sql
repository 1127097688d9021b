-- The device side: signed ticket codes (issuer keys, revocations), gate devices and operators,
-- sessions, and scan records with their conflicts. See verification-sdk/DEVICE-API.md.

-- Ticket codes carry numbers, not our text ids: spots and products get a number 1..2^32-1 each
-- (every party gets one, only spots' are used); a ticket's number is its ticket_no.
CREATE SEQUENCE party_code_seq MINVALUE 1 MAXVALUE 4294967295;
ALTER TABLE parties ADD COLUMN code_no bigint NOT NULL DEFAULT nextval('party_code_seq') UNIQUE;
CREATE SEQUENCE product_code_seq MINVALUE 1 MAXVALUE 4294967295;
ALTER TABLE products ADD COLUMN code_no bigint NOT NULL DEFAULT nextval('product_code_seq') UNIQUE;
-- The issuer key that signed the ticket's code (null for unsigned or foreign codes).
ALTER TABLE tickets ADD COLUMN code_key_id int;
-- Which scan record made the spot's (first) redemption; null when redeemed through tickets().redeem.
ALTER TABLE ticket_spots ADD COLUMN redeemed_record_id text;

-- Version counters that must grow in commit order (a delta reader never skips a late commit):
-- incremented with UPDATE ... RETURNING, whose row lock serialises writers until they commit.
CREATE TABLE device_counters (
    name  text PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO device_counters (name, value) VALUES ('key_set', 0), ('revocations', 0);

-- Issuer keys. private_key is PKCS#8, encrypted per "protection" ('NONE' or 'AES-256-GCM:<fingerprint
-- of the master key>'); it never leaves this table except into the minter's memory.
CREATE TABLE signing_keys (
    key_id      int PRIMARY KEY CHECK (key_id BETWEEN 0 AND 65535),
    public_x    bytea       NOT NULL,
    public_y    bytea       NOT NULL,
    private_key bytea       NOT NULL,
    protection  text        NOT NULL,
    not_before  timestamptz NOT NULL,
    sign_from   timestamptz NOT NULL,
    not_after   timestamptz NOT NULL,
    removed_at  timestamptz,
    removed_why text,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL
);

-- Append-only; version comes from device_counters('revocations').
CREATE TABLE revocations (
    version        bigint PRIMARY KEY,
    ticket_id      text        NOT NULL UNIQUE REFERENCES tickets (ticket_id),
    code_ticket_id bigint      NOT NULL,
    reason         text        NOT NULL,
    revoked_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL
);
CREATE INDEX revocations_ticket ON revocations (code_ticket_id);

-- Only hashes of tokens and credentials are stored (SHA-256 of 256-bit random secrets).
CREATE TABLE provisioning_tokens (
    token_hash text PRIMARY KEY,
    spot_id    text        NOT NULL REFERENCES parties (party_id),
    gate       text,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text        NOT NULL,
    used_at    timestamptz,
    device_id  text
);

CREATE TABLE devices (
    device_id          text PRIMARY KEY,
    spot_id            text        NOT NULL REFERENCES parties (party_id),
    gate               text,
    credential_hash    text        NOT NULL,
    public_x           bytea       NOT NULL,
    public_y           bytea       NOT NULL,
    platform           text,
    state              text        NOT NULL CHECK (state IN ('ACTIVE', 'REVOKED')),
    provisioned_at     timestamptz NOT NULL,
    provisioned_by     text        NOT NULL,
    revoked_at         timestamptz,
    revoked_by         text,
    revoke_reason      text,
    failed_logins      int         NOT NULL DEFAULT 0,
    locked_until       timestamptz,
    -- the latest heartbeat
    last_seen_at       timestamptz,
    last_sync_at       timestamptz,
    queue_depth        int,
    sdk_version        text,
    key_set_version    bigint,
    revocation_version bigint,
    clock_offset_ms    bigint,
    device_time        timestamptz,
    journal_lost       bigint
);
CREATE INDEX devices_spot ON devices (spot_id);

CREATE TABLE operators (
    operator_id   text PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    name          text        NOT NULL,
    password_hash text,
    pin_hash      text,
    state         text        NOT NULL CHECK (state IN ('ACTIVE', 'REVOKED')),
    failed_logins int         NOT NULL DEFAULT 0,
    locked_until  timestamptz,
    created_at    timestamptz NOT NULL,
    created_by    text        NOT NULL,
    revoked_at    timestamptz,
    revoked_by    text,
    revoke_reason text
);

-- The spots an operator may work at.
CREATE TABLE operator_spots (
    operator_id text NOT NULL REFERENCES operators (operator_id),
    spot_id     text NOT NULL REFERENCES parties (party_id),
    PRIMARY KEY (operator_id, spot_id)
);

CREATE TABLE device_sessions (
    session_id         text PRIMARY KEY,
    device_id          text        NOT NULL REFERENCES devices (device_id),
    operator_id        text        NOT NULL REFERENCES operators (operator_id),
    access_hash        text        NOT NULL UNIQUE,
    access_expires_at  timestamptz NOT NULL,
    refresh_hash       text        NOT NULL UNIQUE,
    refresh_expires_at timestamptz NOT NULL,
    created_at         timestamptz NOT NULL,
    refreshed_at       timestamptz,
    ended_at           timestamptz,
    end_reason         text
);

-- Refresh tokens already exchanged: presenting one again means it was stolen (or replayed).
CREATE TABLE used_refresh_tokens (
    token_hash text PRIMARY KEY,
    session_id text        NOT NULL REFERENCES device_sessions (session_id),
    used_at    timestamptz NOT NULL
);

-- Every nonce a device used, with the record that used it (an online attempt and its offline
-- fallback share one record and so one nonce).
CREATE TABLE device_nonces (
    device_id text NOT NULL,
    nonce     text NOT NULL,
    record_id text NOT NULL,
    PRIMARY KEY (device_id, nonce)
);

-- Scan records that are redemptions (admitted visitors), online or synced. status REDEEMED: among
-- the first "uses" scans of (ticket, spot) by scanned_at, then arrival; CONFLICT: a later one.
CREATE TABLE scan_records (
    record_id       text PRIMARY KEY,
    arrival         bigserial   NOT NULL UNIQUE,
    device_id       text        NOT NULL REFERENCES devices (device_id),
    spot_id         text        NOT NULL REFERENCES parties (party_id),
    code_ticket_id  bigint      NOT NULL,
    ticket_id       text REFERENCES tickets (ticket_id),
    code            text        NOT NULL,
    scanned_at      timestamptz NOT NULL,
    clock_offset_ms bigint      NOT NULL,
    sequence        bigint      NOT NULL,
    nonce           text        NOT NULL,
    signature       bytea       NOT NULL,
    digest          text        NOT NULL,
    via             text        NOT NULL CHECK (via IN ('ONLINE', 'SYNC')),
    status          text        NOT NULL CHECK (status IN ('REDEEMED', 'CONFLICT')),
    flags           text        NOT NULL,
    redeemed_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL
);
CREATE INDEX scan_records_ticket ON scan_records (code_ticket_id, spot_id, scanned_at, arrival);

-- Double redemptions for the admin: the winner (a scan record, or a redemption through
-- tickets().redeem when winner_record_id is null) and the scan that lost.
CREATE TABLE redemption_conflicts (
    id               bigserial PRIMARY KEY,
    code_ticket_id   bigint      NOT NULL,
    ticket_id        text,
    spot_id          text        NOT NULL,
    winner_record_id text,
    winner_device    text        NOT NULL,
    winner_at        timestamptz NOT NULL,
    loser_record_id  text        NOT NULL,
    loser_device     text        NOT NULL,
    loser_at         timestamptz NOT NULL,
    detected_at      timestamptz NOT NULL,
    reported_to      text        NOT NULL CHECK (reported_to IN ('DEVICE', 'ADMIN'))
);
CREATE INDEX redemption_conflicts_spot ON redemption_conflicts (spot_id, id);

-- Online redeem answers per (device, Idempotency-Key), kept for replay.
CREATE TABLE redeem_answers (
    device_id   text        NOT NULL,
    record_id   text        NOT NULL,
    digest      text        NOT NULL,
    outcome     text        NOT NULL,
    answer      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (device_id, record_id)
);
CREATE INDEX redeem_answers_created ON redeem_answers (created_at);
