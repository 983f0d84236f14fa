-- Uploads of documents that are parsed (plan and report imports), counted per account and minute
-- so that the limit holds across instances (see kernel::heavy).
CREATE TABLE upload_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    at DATETIME NOT NULL
);
CREATE INDEX upload_events_account_idx ON upload_events (account_id, kind, at);
