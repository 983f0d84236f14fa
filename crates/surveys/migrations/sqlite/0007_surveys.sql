-- Surveys (khảo sát): versions of a questionnaire in one family, their questions (frozen once
-- published), the responses (one row per response, its answers as one JSON text), and the
-- counters of the abuse limits on public answering. See docs/surveys.md.

-- One version of a survey. `family_id` is the id of the first version; a new version of a
-- published survey is a new row with the same family, the same public token and version + 1.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    family_id INTEGER,
    version BIGINT NOT NULL DEFAULT 1,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    audience_unit_id INTEGER REFERENCES units(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    opens_on DATE,
    closes_on DATE,
    status TEXT NOT NULL DEFAULT 'draft',
    one_per_device BOOLEAN NOT NULL DEFAULT FALSE,
    pow BOOLEAN NOT NULL DEFAULT FALSE,
    contact_details BOOLEAN NOT NULL DEFAULT FALSE,
    template_code TEXT,
    public_token TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id),
    created_at DATETIME NOT NULL,
    published_at DATETIME,
    closed_at DATETIME
);
CREATE INDEX surveys_unit_idx ON surveys (unit_id);
CREATE INDEX surveys_family_idx ON surveys (family_id, version);
CREATE INDEX surveys_token_idx ON surveys (public_token);
CREATE INDEX surveys_template_idx ON surveys (template_code);

-- A question of one version (câu hỏi). `options` is a JSON array of texts, `show_if` the
-- show-condition as JSON ({"op": "equals", "key": ..., "option": ...}).
CREATE TABLE survey_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    question_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT FALSE,
    options TEXT NOT NULL DEFAULT '[]',
    min_value DOUBLE PRECISION,
    max_value DOUBLE PRECISION,
    show_if TEXT
);
CREATE UNIQUE INDEX survey_questions_key_idx ON survey_questions (survey_id, question_key);

-- One response (phiếu trả lời). `answers` is the JSON object of accepted answers by question
-- key; `text_key` the folded free-text answers for search; `device_hash` is set only when the
-- survey allows one answer per device (then it is unique per survey); `contact` only when the
-- survey asks for contact details.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    unit_id INTEGER REFERENCES units(id),
    channel TEXT NOT NULL,
    entered_by INTEGER REFERENCES accounts(id),
    device_hash TEXT,
    answers TEXT NOT NULL,
    text_key TEXT NOT NULL DEFAULT '',
    contact TEXT,
    created_at DATETIME NOT NULL
);
CREATE INDEX survey_responses_survey_idx ON survey_responses (survey_id, id);
CREATE INDEX survey_responses_unit_idx ON survey_responses (unit_id, created_at);
CREATE UNIQUE INDEX survey_responses_device_idx ON survey_responses (survey_id, device_hash);

-- Events counted by the abuse limits: `bucket` is `ip:<hash>`, `dev:<hash>` or `pow:<nonce>` (a
-- proof-of-work challenge already used). Rows older than a day are swept on insert.
CREATE TABLE survey_rate_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket TEXT NOT NULL,
    at DATETIME NOT NULL
);
CREATE INDEX survey_rate_events_key_idx ON survey_rate_events (bucket, at);
CREATE INDEX survey_rate_events_at_idx ON survey_rate_events (at);
