-- The search feed: what every capability publishes, as plain text, written in the same
-- transaction as the publishing (kernel::search_feed). Each instance keeps its own search index
-- (crates/search) as a cache: it rebuilds it from search_docs at start and catches up from
-- search_changes. See docs/search.md.

-- One public item (an article, a legal document, a teaching material, a published answer, a draft).
CREATE TABLE search_docs (
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    doc_type TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    year INTEGER,
    unit_id INTEGER,
    published_at DATETIME,
    visible_from DATETIME,
    visible_to DATETIME,
    in_force_on DATE,
    partly_expired_on DATE,
    expired_on DATE,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (kind, ref_id)
);

-- The change log: one row per write of search_docs (insert, update or removal). Instances read
-- it from the last change they applied; old rows are pruned.
CREATE TABLE search_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    changed_at DATETIME NOT NULL
);
CREATE INDEX search_changes_at ON search_changes (changed_at);
