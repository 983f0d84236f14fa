-- The commune legal-access standard (PostgreSQL) (chuẩn tiếp cận pháp luật): rule-set versions as data,
-- yearly rounds opened by the reviewing unit, one assessment per commune with its indicator
-- values (the commune's and the council's), evidence, disqualifiers, public comments and the
-- history of every step. See docs/legal-access.md.

-- One version of a rule set (bộ tiêu chí). `body` is its TOML; a version that an assessment
-- uses is never changed (an edit stores the next version).
CREATE TABLE access_rulesets (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    first_year BIGINT NOT NULL,
    last_year BIGINT,
    mode TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX access_rulesets_code_version_idx ON access_rulesets (code, version);

-- A yearly round (đợt đánh giá) of the reviewing unit: the province since 2025, a district
-- before. The council's meeting and the chair's decision are recorded on it.
CREATE TABLE access_rounds (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    year BIGINT NOT NULL,
    ruleset_id BIGINT NOT NULL REFERENCES access_rulesets(id),
    opened_on DATE NOT NULL,
    deadline DATE NOT NULL,
    meeting_on DATE,
    meeting_members TEXT,
    meeting_conclusion TEXT,
    decision_no TEXT,
    decision_on DATE,
    decision_signer TEXT,
    decided_at TIMESTAMPTZ,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX access_rounds_unit_year_idx ON access_rounds (unit_id, year);

-- A commune's assessment in a round (hồ sơ đánh giá).
CREATE TABLE access_assessments (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES access_rounds(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    posted_from DATE,
    posted_to DATE,
    submitted_at TIMESTAMPTZ,
    self_total BIGINT,
    final_total BIGINT,
    self_recognisable BOOLEAN,
    final_recognisable BOOLEAN,
    proposal TEXT,
    decision_note TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX access_assessments_round_unit_idx ON access_assessments (round_id, unit_id);
CREATE INDEX access_assessments_unit_idx ON access_assessments (unit_id);

-- The value of one indicator: the commune's, and the council's adjustment with its reason.
-- Ratio: numerator/denominator; count: numerator; yes/no: yes.
CREATE TABLE access_values (
    id BIGSERIAL PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES access_assessments(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    numerator BIGINT,
    denominator BIGINT,
    yes BOOLEAN,
    note TEXT NOT NULL DEFAULT '',
    prefill_source TEXT,
    council_numerator BIGINT,
    council_denominator BIGINT,
    council_yes BOOLEAN,
    council_reason TEXT,
    council_by BIGINT REFERENCES accounts(id),
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX access_values_assessment_indicator_idx ON access_values (assessment_id, indicator);

-- Evidence of an indicator (tài liệu kiểm chứng): an uploaded file or a link.
CREATE TABLE access_evidence (
    id BIGSERIAL PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES access_assessments(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    file_id BIGINT REFERENCES files(id),
    link TEXT,
    title TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_evidence_assessment_idx ON access_evidence (assessment_id);

-- A disqualifier that applies in the year (kỷ luật, truy cứu trách nhiệm hình sự).
CREATE TABLE access_disqualifications (
    id BIGSERIAL PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES access_assessments(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    happened_on DATE,
    note TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_disqualifications_assessment_idx ON access_disqualifications (assessment_id);

-- The history of an assessment: every step, adjustment and note, with its actor.
CREATE TABLE access_events (
    id BIGSERIAL PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES access_assessments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    actor_id BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_events_assessment_idx ON access_events (assessment_id);

-- Citizens' comments on a posted self-assessment (góp ý khi niêm yết). Name and contact are
-- optional and shown only to officers of the commune and the reviewing unit.
CREATE TABLE access_comments (
    id BIGSERIAL PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES access_assessments(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    author_name TEXT,
    author_contact TEXT,
    ip_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_comments_assessment_idx ON access_comments (assessment_id);
CREATE INDEX access_comments_ip_idx ON access_comments (ip_hash, created_at);
