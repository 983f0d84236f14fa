-- Uploads of documents that are parsed (plan and report imports), counted per account and minute
-- so that the limit holds across instances (see kernel::heavy).
CREATE TABLE upload_events (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX upload_events_account_idx ON upload_events (account_id, kind, at);
