-- Online legal-knowledge contests (cuộc thi trực tuyến tìm hiểu pháp luật): the contest and its
-- rules as data, its question bank, its rounds, the entrants registered without an account
-- (with one-time codes and their own sessions), the attempts with one row per drawn question
-- (the answer is saved on that row), and the counted result of each entrant in each round,
-- kept by the write path so that rankings never scan the attempts. See docs/contests.md.

-- A contest of an organiser unit. `area_unit_id` is the eligible area (a unit subtree);
-- `min_age` the audience's minimum age (by year of birth); `status` draft or published.
CREATE TABLE contests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    min_age BIGINT,
    area_unit_id INTEGER NOT NULL REFERENCES units(id),
    require_id_number BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL DEFAULT 'draft',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX contests_unit_idx ON contests (unit_id);

-- A question of a contest's bank. `options` is a JSON array of 2 to 6 texts, `correct` the
-- 0-based index of the right one; `text_key` the folded text that flags duplicates. A question
-- drawn by a published round is `frozen`.
CREATE TABLE contest_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    text_key TEXT NOT NULL,
    options TEXT NOT NULL,
    correct BIGINT NOT NULL,
    explanation TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL,
    difficulty TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    frozen BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX contest_questions_key_idx ON contest_questions (contest_id, text_key);

-- A round (vòng thi) with its rules: window, draw quotas (JSON), time limit and grace, attempt
-- policy, prediction question, ranking keys (JSON, in order), prize bands (JSON) and when the
-- correct answers are shown.
CREATE TABLE contest_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    starts_at DATETIME NOT NULL,
    ends_at DATETIME NOT NULL,
    time_limit_s BIGINT NOT NULL,
    grace_s BIGINT NOT NULL,
    max_attempts BIGINT NOT NULL,
    counting TEXT NOT NULL,
    quotas TEXT NOT NULL,
    prediction_kind TEXT,
    prediction_text TEXT NOT NULL DEFAULT '',
    ranking_keys TEXT NOT NULL,
    prizes TEXT NOT NULL,
    show_answers TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX contest_rounds_number_idx ON contest_rounds (contest_id, number);

-- An entrant (thí sinh), registered without an account: one per phone or e-mail per contest.
-- `id_hash` is the keyed hash of the CCCD number when the contest asks for it; the one-time
-- code is kept only as a keyed hash with its expiry (tries and sends are counted in
-- contest_limits). One entrant per CCCD number per contest.
CREATE TABLE contest_entrants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    birth_year BIGINT NOT NULL,
    contact TEXT NOT NULL,
    commune_id INTEGER NOT NULL REFERENCES units(id),
    id_hash TEXT,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    code_hash TEXT,
    code_expires_at DATETIME,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX contest_entrants_contact_idx ON contest_entrants (contest_id, contact);
CREATE UNIQUE INDEX contest_entrants_id_hash_idx ON contest_entrants (contest_id, id_hash) WHERE id_hash IS NOT NULL;

-- Hourly counters that bound the one-time codes: codes sent per entrant and per client
-- address, and codes tried per entrant. `bucket` names what is counted ("send:entrant:12",
-- "send:ip:203.0.113.5", "try:entrant:12"), `window_start` the hour (bound from Rust); each
-- request adds one with a single upsert and is refused past the cap (docs/contests.md).
CREATE TABLE contest_limits (
    bucket TEXT NOT NULL,
    window_start DATETIME NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- An entrant's session: the cookie holds a random secret, this table its SHA-256.
CREATE TABLE contest_sessions (
    secret_hash TEXT PRIMARY KEY,
    entrant_id INTEGER NOT NULL REFERENCES contest_entrants(id) ON DELETE CASCADE,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    expires_at DATETIME NOT NULL
);
CREATE INDEX contest_sessions_entrant_idx ON contest_sessions (entrant_id);

-- An attempt (lượt thi). `status` active, submitted or expired; at most one active attempt per
-- entrant (the partial unique index), whatever the instance that starts it. Answers are taken
-- until `accept_until` (the deadline plus the round's grace); an active attempt past it is
-- closed when next touched.
CREATE TABLE contest_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id INTEGER NOT NULL REFERENCES contest_rounds(id) ON DELETE CASCADE,
    entrant_id INTEGER NOT NULL REFERENCES contest_entrants(id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    started_at DATETIME NOT NULL,
    deadline_at DATETIME NOT NULL,
    accept_until DATETIME NOT NULL,
    closed_at DATETIME,
    score BIGINT,
    question_count BIGINT NOT NULL,
    duration_ms BIGINT,
    prediction BIGINT
);
CREATE UNIQUE INDEX contest_attempts_number_idx ON contest_attempts (round_id, entrant_id, number);
CREATE UNIQUE INDEX contest_attempts_active_idx ON contest_attempts (entrant_id) WHERE status = 'active';
CREATE INDEX contest_attempts_round_status_idx ON contest_attempts (round_id, status);

-- One drawn question of an attempt at its position, with the order its options are shown in
-- (original indexes, comma-separated) and the chosen option (its shown position) once answered:
-- saving an answer is one update of this row.
CREATE TABLE contest_attempt_items (
    attempt_id INTEGER NOT NULL REFERENCES contest_attempts(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    question_id INTEGER NOT NULL REFERENCES contest_questions(id),
    option_order TEXT NOT NULL,
    chosen BIGINT,
    answered_at DATETIME,
    PRIMARY KEY (attempt_id, position)
);

-- The attempt that counts for an entrant in a round under the round's policy (best, first or
-- last), with what the ranking keys read; replaced on submission when the policy says so.
CREATE TABLE contest_results (
    round_id INTEGER NOT NULL REFERENCES contest_rounds(id) ON DELETE CASCADE,
    entrant_id INTEGER NOT NULL REFERENCES contest_entrants(id) ON DELETE CASCADE,
    attempt_id INTEGER NOT NULL REFERENCES contest_attempts(id) ON DELETE CASCADE,
    score BIGINT NOT NULL,
    question_count BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    started_at DATETIME NOT NULL,
    prediction BIGINT,
    attempts BIGINT NOT NULL,
    full_score_attempts BIGINT NOT NULL,
    PRIMARY KEY (round_id, entrant_id)
);

-- Live counters kept by the write path in the same transaction: per round and commune the
-- attempts started and submitted (and the entrants who started one), and the score histogram.
CREATE TABLE contest_counters (
    round_id INTEGER NOT NULL REFERENCES contest_rounds(id) ON DELETE CASCADE,
    commune_id INTEGER NOT NULL REFERENCES units(id),
    entrants BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    submissions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, commune_id)
);
CREATE TABLE contest_score_counts (
    round_id INTEGER NOT NULL REFERENCES contest_rounds(id) ON DELETE CASCADE,
    score BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, score)
);

-- An entrant excluded from a round's ranking by its organiser (loại khỏi xếp hạng, e.g. for a
-- broken rule), with the reason. Kept apart from contest_results, which the write path replaces;
-- the ranking leaves these entrants out, so the prizes pass to the next.
CREATE TABLE contest_exclusions (
    round_id INTEGER NOT NULL REFERENCES contest_rounds(id) ON DELETE CASCADE,
    entrant_id INTEGER NOT NULL REFERENCES contest_entrants(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    excluded_by INTEGER NOT NULL REFERENCES accounts(id),
    excluded_at DATETIME NOT NULL,
    PRIMARY KEY (round_id, entrant_id)
);

-- A round's published prize winners (công bố kết quả), as they stood when the organiser
-- published them: JSON lines (position, prize, name, commune, score, time), so the public page
-- reads one row and never the entrants' table. Publishing again replaces them.
CREATE TABLE contest_published_results (
    round_id INTEGER PRIMARY KEY REFERENCES contest_rounds(id) ON DELETE CASCADE,
    winners TEXT NOT NULL,
    published_by INTEGER NOT NULL REFERENCES accounts(id),
    published_at DATETIME NOT NULL
);

-- A prize winner's certificate (giấy chứng nhận), issued when a round's results are published:
-- `code` is the random code printed on it (with a QR code of the page that checks it), and what
-- it states (holder, commune, rank, prize, issuing body, date) is copied when it is issued.
-- Publishing again revokes the round's certificates and restores those whose rank and prize are
-- unchanged (same code, same date); a winner whose prize changed gets a new certificate. At most
-- one certificate in force per winner and round; a revoked certificate's page says so.
CREATE TABLE contest_certificates (
    code TEXT PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES contest_rounds(id) ON DELETE CASCADE,
    entrant_id INTEGER NOT NULL REFERENCES contest_entrants(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    prize TEXT NOT NULL,
    full_name TEXT NOT NULL,
    commune_name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_at DATETIME NOT NULL,
    revoked_at DATETIME
);
CREATE UNIQUE INDEX contest_certificates_holder_idx ON contest_certificates (round_id, entrant_id) WHERE revoked_at IS NULL;
CREATE INDEX contest_certificates_round_idx ON contest_certificates (round_id, entrant_id);
