-- Periodic reports (PostgreSQL) (báo cáo định kỳ): form versions as data, schedules, reporting rounds
-- (a form for one period), the reports of each reporting unit or agency with their values,
-- value history and comments, and the live roll-up kept current in the approving
-- transaction. See docs/reports.md.

-- One version of a report form (biểu mẫu). `definition` is the TOML of that one version; a
-- version is never changed once stored (an edit stores a new version).
CREATE TABLE report_forms (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE,
    definition TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX report_forms_code_version_idx ON report_forms (code, version);

-- A schedule (lịch báo cáo): a unit asks the listed units or agencies to report a form on
-- periods of one kind.
CREATE TABLE report_schedules (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    form_code TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    filler_level TEXT NOT NULL,
    name TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_schedules_unit_idx ON report_schedules (unit_id);

CREATE TABLE report_schedule_members (
    id BIGSERIAL PRIMARY KEY,
    schedule_id BIGINT NOT NULL REFERENCES report_schedules(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    agency_id BIGINT REFERENCES agencies(id)
);
CREATE INDEX report_schedule_members_schedule_idx ON report_schedule_members (schedule_id);

-- A reporting round (kỳ báo cáo): one period of a schedule, with the form version in force at
-- the period's end, its deadline and cut-off. planned → open → closed.
CREATE TABLE report_rounds (
    id BIGSERIAL PRIMARY KEY,
    schedule_id BIGINT NOT NULL REFERENCES report_schedules(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    form_id BIGINT NOT NULL REFERENCES report_forms(id),
    period_key TEXT NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    due_on DATE,
    cutoff_on DATE,
    lock_after_days BIGINT,
    status TEXT NOT NULL,
    opened_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX report_rounds_schedule_period_idx ON report_rounds (schedule_id, period_key);
CREATE INDEX report_rounds_unit_idx ON report_rounds (unit_id, period_start);

-- One report of one reporting unit (or agency) in a round.
CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES report_rounds(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    agency_id BIGINT REFERENCES agencies(id),
    reporter_key TEXT NOT NULL,
    state TEXT NOT NULL,
    first_submitted_on DATE,
    submitted_at TIMESTAMPTZ,
    submitted_by BIGINT REFERENCES accounts(id),
    reviewed_at TIMESTAMPTZ,
    reviewed_by BIGINT REFERENCES accounts(id),
    review_comment TEXT,
    unlocked_until DATE,
    unlock_reason TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX reports_round_reporter_idx ON reports (round_id, reporter_key);
CREATE INDEX reports_unit_idx ON reports (unit_id, state);

-- Entered figures: a count or amount (int_value) or a text. `prefilled` marks values taken
-- from data the system already holds (task results) that the officer has not changed.
CREATE TABLE report_values (
    id BIGSERIAL PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    value_key TEXT NOT NULL,
    int_value BIGINT,
    text_value TEXT,
    prefilled BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by BIGINT REFERENCES accounts(id)
);
CREATE UNIQUE INDEX report_values_report_key_idx ON report_values (report_id, value_key);

-- Every change of a value, and every state change of a report.
CREATE TABLE report_history (
    id BIGSERIAL PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    at TIMESTAMPTZ NOT NULL,
    account_id BIGINT REFERENCES accounts(id),
    kind TEXT NOT NULL,
    value_key TEXT,
    old_value TEXT,
    new_value TEXT,
    source TEXT,
    note TEXT
);
CREATE INDEX report_history_report_idx ON report_history (report_id, at);

-- Comments on a report or on one of its values.
CREATE TABLE report_comments (
    id BIGSERIAL PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    value_key TEXT,
    at TIMESTAMPTZ NOT NULL,
    account_id BIGINT REFERENCES accounts(id),
    text TEXT NOT NULL
);
CREATE INDEX report_comments_report_idx ON report_comments (report_id);

-- The live roll-up: for every round and every unit on the path of an approved report, the sum
-- of the approved figures below it. Changed in the transaction that approves or unapproves.
CREATE TABLE report_rollups (
    round_id BIGINT NOT NULL REFERENCES report_rounds(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    value_key TEXT NOT NULL,
    int_value BIGINT NOT NULL,
    PRIMARY KEY (round_id, unit_id, value_key)
);
