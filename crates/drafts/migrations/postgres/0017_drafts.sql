-- Draft-policy communication (truyền thông dự thảo chính sách, lấy ý kiến dự thảo).

-- A draft document a unit puts out for comment: its drafting body (cơ quan chủ trì soạn thảo),
-- the comment period (both days included) and its status: 'draft' (not public yet),
-- 'published' (public, taking comments while the period runs), 'reported' (the reception and
-- explanation table published, after the period).
CREATE TABLE drafts (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    drafting_body TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    opens_on DATE NOT NULL,
    closes_on DATE NOT NULL,
    status TEXT NOT NULL,
    published_at TIMESTAMPTZ,
    reported_at TIMESTAMPTZ,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX drafts_unit_idx ON drafts (unit_id);
CREATE INDEX drafts_status_idx ON drafts (status, closes_on);

-- The parts of a draft commented on (rules::outline): the preamble, articles and clauses, in order.
CREATE TABLE draft_parts (
    id BIGSERIAL PRIMARY KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    level BIGINT NOT NULL,
    label TEXT NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE UNIQUE INDEX draft_parts_position_idx ON draft_parts (draft_id, position);

-- A comment (ý kiến góp ý) on the whole draft (part_id NULL) or on one part, by a person or an
-- organisation. The name of a person and the e-mail address are never public; `response` is
-- the drafting body's reception or explanation (tiếp thu, giải trình).
CREATE TABLE draft_comments (
    id BIGSERIAL PRIMARY KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    part_id BIGINT REFERENCES draft_parts(id) ON DELETE SET NULL,
    author_kind TEXT NOT NULL,
    author_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    response TEXT NOT NULL DEFAULT '',
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX draft_comments_draft_idx ON draft_comments (draft_id, received_at);

-- The per-address limit of public comments: one counter per address block (kernel::net,
-- keyed hash) and hour, incremented with one upsert in the comment's transaction.
CREATE TABLE draft_rate_counts (
    bucket TEXT NOT NULL,
    hour BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (bucket, hour)
);
