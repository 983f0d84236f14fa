-- Plans and tasks (PostgreSQL) (kế hoạch, nhiệm vụ): imported or written plans, their outline, tasks with
-- lead and coordinating agencies, tracking history with evidence files, reminders (đôn đốc)
-- and in-app notifications. See docs/plans.md.

-- Uploaded files (original plan documents, evidence). Stored in the database so that a backup
-- holds them.
CREATE TABLE files (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BYTEA NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX files_unit_idx ON files (unit_id);

CREATE TABLE plans (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    agency_id BIGINT REFERENCES agencies(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    number TEXT,
    place TEXT,
    issued_on DATE,
    parent_body TEXT,
    issuer TEXT,
    signer TEXT,
    signer_authority TEXT,
    signer_title TEXT,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    period TEXT,
    year INTEGER,
    recipients TEXT NOT NULL DEFAULT '',
    parent_plan_id BIGINT REFERENCES plans(id),
    copied_from_id BIGINT REFERENCES plans(id),
    implementing_deadline DATE,
    cascade_level TEXT NOT NULL DEFAULT 'none',
    source_file_id BIGINT REFERENCES files(id),
    source_text TEXT,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    issued_at TIMESTAMPTZ,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX plans_unit_idx ON plans (unit_id, status);
CREATE INDEX plans_parent_idx ON plans (parent_plan_id);
CREATE INDEX plans_title_key_idx ON plans (title_key);

CREATE TABLE plan_references (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    ref_number TEXT,
    ref_plan_id BIGINT REFERENCES plans(id)
);
CREATE INDEX plan_references_plan_idx ON plan_references (plan_id);
CREATE INDEX plan_references_number_idx ON plan_references (ref_number);

CREATE TABLE plan_sections (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    marker TEXT NOT NULL,
    heading TEXT NOT NULL
);
CREATE INDEX plan_sections_plan_idx ON plan_sections (plan_id);

CREATE TABLE plan_report_deadlines (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    due_on DATE NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX plan_report_deadlines_plan_idx ON plan_report_deadlines (plan_id);

CREATE TABLE tasks (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    form TEXT,
    products TEXT,
    funding TEXT,
    timeframe TEXT,
    deadline DATE,
    recurrence TEXT,
    window_from DATE,
    window_to DATE,
    parent_task_id BIGINT REFERENCES tasks(id),
    status TEXT NOT NULL DEFAULT 'not_started',
    progress INTEGER,
    completed_on DATE,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX tasks_plan_idx ON tasks (plan_id, position);
CREATE INDEX tasks_parent_idx ON tasks (parent_task_id);
CREATE INDEX tasks_deadline_idx ON tasks (deadline, status);

CREATE TABLE task_agencies (
    id BIGSERIAL PRIMARY KEY,
    task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    written TEXT NOT NULL,
    match_key TEXT,
    agency_id BIGINT REFERENCES agencies(id)
);
CREATE INDEX task_agencies_task_idx ON task_agencies (task_id);
CREATE INDEX task_agencies_agency_idx ON task_agencies (agency_id, role);

-- Every change to a task: status and progress, notes with figures, coordinating contributions,
-- evidence files and links, and edits.
CREATE TABLE task_updates (
    id BIGSERIAL PRIMARY KEY,
    task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    at TIMESTAMPTZ NOT NULL,
    account_id BIGINT REFERENCES accounts(id),
    agency_id BIGINT REFERENCES agencies(id),
    kind TEXT NOT NULL,
    status_from TEXT,
    status_to TEXT,
    progress INTEGER,
    note TEXT,
    sessions BIGINT,
    attendees BIGINT,
    materials BIGINT,
    file_id BIGINT REFERENCES files(id),
    link TEXT,
    changes TEXT
);
CREATE INDEX task_updates_task_idx ON task_updates (task_id, at);

-- Reminder settings per unit: how many days before a deadline to remind.
CREATE TABLE unit_reminder_settings (
    unit_id BIGINT PRIMARY KEY REFERENCES units(id),
    days_before INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- One row per reminder item sent (đôn đốc). Digest e-mails group a day's items per account.
CREATE TABLE reminders (
    id BIGSERIAL PRIMARY KEY,
    sent_on DATE NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    recipient_id BIGINT NOT NULL REFERENCES accounts(id),
    recipient_unit_id BIGINT NOT NULL REFERENCES units(id),
    sender_id BIGINT REFERENCES accounts(id),
    sender_unit_id BIGINT NOT NULL REFERENCES units(id),
    plan_id BIGINT REFERENCES plans(id) ON DELETE CASCADE,
    task_id BIGINT REFERENCES tasks(id) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE UNIQUE INDEX reminders_once_idx ON reminders (recipient_id, item_key, sent_on);
CREATE INDEX reminders_item_idx ON reminders (item_key, recipient_id);
CREATE INDEX reminders_sender_unit_idx ON reminders (sender_unit_id, at);

-- In-app notifications (thông báo).
CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    read_at TIMESTAMPTZ
);
CREATE INDEX notifications_account_idx ON notifications (account_id, read_at);

-- Daily jobs: the first instance to insert (name, run_on) runs the job for that day.
CREATE TABLE job_runs (
    name TEXT NOT NULL,
    run_on DATE NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    summary TEXT,
    PRIMARY KEY (name, run_on)
);
