-- Foundation (PostgreSQL): administrative units with history, agencies, accounts, sessions, tokens, audit, outbox.
CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi-VN');

CREATE TABLE units (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    level TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES units(id),
    path TEXT NOT NULL DEFAULT '',
    valid_from DATE,
    valid_to DATE,
    legal_basis TEXT,
    official BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX units_code_idx ON units (code);
CREATE INDEX units_parent_idx ON units (parent_id);
CREATE INDEX units_path_idx ON units (path);
CREATE INDEX units_name_key_idx ON units (name_key);
CREATE INDEX units_level_idx ON units (level, valid_to);

CREATE TABLE unit_successions (
    id BIGSERIAL PRIMARY KEY,
    old_unit_id BIGINT NOT NULL REFERENCES units(id),
    new_unit_id BIGINT NOT NULL REFERENCES units(id),
    partly_merged BOOLEAN NOT NULL,
    effective DATE NOT NULL,
    legal_basis TEXT
);
CREATE INDEX unit_successions_old_idx ON unit_successions (old_unit_id);
CREATE INDEX unit_successions_new_idx ON unit_successions (new_unit_id);

CREATE TABLE agencies (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind_code TEXT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    abbreviation TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX agencies_unit_idx ON agencies (unit_id);
CREATE UNIQUE INDEX agencies_unit_name_key ON agencies (unit_id, name_key);

CREATE TABLE agency_aliases (
    id BIGSERIAL PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    alias_key TEXT NOT NULL
);
CREATE INDEX agency_aliases_agency_idx ON agency_aliases (agency_id);

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    full_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    agency_id BIGINT REFERENCES agencies(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    last_login_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX accounts_username_key ON accounts (username);
CREATE INDEX accounts_unit_idx ON accounts (unit_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_account_idx ON sessions (account_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

CREATE TABLE password_resets (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX password_resets_hash_key ON password_resets (token_hash);

CREATE TABLE login_attempts (
    id BIGSERIAL PRIMARY KEY,
    username_key TEXT NOT NULL,
    ip TEXT NOT NULL,
    success BOOLEAN NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    account_id BIGINT,
    username TEXT,
    unit_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    summary TEXT NOT NULL,
    before_data JSONB,
    after_data JSONB,
    request_id TEXT,
    ip TEXT
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_unit_idx ON audit_log (unit_id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

CREATE TABLE outbox_emails (
    id BIGSERIAL PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    last_error TEXT
);
CREATE INDEX outbox_emails_pending_idx ON outbox_emails (sent_at, locked_until);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
