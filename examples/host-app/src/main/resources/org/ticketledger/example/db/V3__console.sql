-- The operator console: its admins (salted PBKDF2 hashes, never the password), their sessions
-- (only a digest of the cookie), the append-only audit log of every admin action, maker-checker
-- approvals and the resolutions people record on work-queue items.

CREATE TABLE console_admins (
    username     text PRIMARY KEY,
    role         text        NOT NULL CHECK (role IN ('OPERATOR', 'AUDITOR')),
    salt         bytea       NOT NULL,
    hash         bytea       NOT NULL,
    iterations   int         NOT NULL CHECK (iterations >= 10000),
    created_at   timestamptz NOT NULL,
    created_by   text        NOT NULL,
    disabled_at  timestamptz
);

CREATE TABLE console_sessions (
    -- SHA-256 of the cookie value: a database dump does not hand out live sessions.
    id_digest    text PRIMARY KEY,
    username     text        NOT NULL REFERENCES console_admins (username),
    csrf_token   text        NOT NULL,
    locale       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_by_user ON console_sessions (username);

CREATE TABLE audit_log (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL,
    actor    text        NOT NULL,
    action   text        NOT NULL,
    subject  text        NOT NULL,
    detail   text        NOT NULL
);
CREATE INDEX audit_log_by_subject ON audit_log (subject, id);

-- Append-only: the log is evidence, so not even the application may rewrite it.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

CREATE TABLE console_approvals (
    id            text PRIMARY KEY,
    kind          text        NOT NULL,
    subject_id    text        NOT NULL,
    amount_minor  bigint      NOT NULL,
    currency      text        NOT NULL,
    summary       text        NOT NULL,
    state         text        NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'EXECUTED', 'FAILED', 'REJECTED')),
    requested_by  text        NOT NULL,
    requested_at  timestamptz NOT NULL,
    decided_by    text,
    decided_at    timestamptz,
    outcome       text,
    CHECK (decided_by IS NULL OR decided_by <> requested_by OR state = 'REJECTED')
);
-- At most one open request per thing to do.
CREATE UNIQUE INDEX console_approvals_one_pending ON console_approvals (kind, subject_id) WHERE state = 'PENDING';

CREATE TABLE console_resolutions (
    kind        text        NOT NULL,
    subject_id  text        NOT NULL,
    reason      text        NOT NULL,
    resolved_by text        NOT NULL,
    resolved_at timestamptz NOT NULL,
    PRIMARY KEY (kind, subject_id)
);
