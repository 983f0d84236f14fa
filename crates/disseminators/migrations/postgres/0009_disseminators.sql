-- Legal reporters and propagandists (PostgreSQL) (báo cáo viên, tuyên truyền viên pháp luật): the
-- registries with their recognition and dismissal, the commune's September registration round
-- for propagandists, dissemination sessions (buổi phổ biến pháp luật) and training records.
-- See docs/disseminators.md.

-- The commune's yearly registration round for propagandists (đợt đăng ký tháng 9).
CREATE TABLE dissem_rounds (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    year BIGINT NOT NULL,
    announced_on DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    listed_on DATE,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX dissem_rounds_unit_year_idx ON dissem_rounds (unit_id, year);

-- A person's registration in a round, and the officer's review (listed or not).
CREATE TABLE dissem_registrations (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES dissem_rounds(id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    birth_year BIGINT,
    phone TEXT,
    village TEXT NOT NULL DEFAULT '',
    occupation TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    review_note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX dissem_registrations_round_idx ON dissem_registrations (round_id);

-- A recognised reporter (province) or propagandist (commune), serving until dismissed.
CREATE TABLE disseminators (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    birth_year BIGINT,
    gender TEXT NOT NULL DEFAULT '',
    phone TEXT,
    agency TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    qualification TEXT NOT NULL,
    experience_years BIGINT NOT NULL DEFAULT 0,
    village TEXT NOT NULL DEFAULT '',
    account_id BIGINT REFERENCES accounts(id),
    registration_id BIGINT REFERENCES dissem_registrations(id),
    decision_no TEXT NOT NULL,
    decision_on DATE NOT NULL,
    decision_signer TEXT NOT NULL,
    decision_file_id BIGINT REFERENCES files(id),
    dismissed_on DATE,
    dismissal_kind TEXT,
    dismissal_reason TEXT,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX disseminators_unit_kind_idx ON disseminators (unit_id, kind);
CREATE INDEX disseminators_account_idx ON disseminators (account_id);

-- A dissemination session (buổi phổ biến pháp luật) held by a unit.
CREATE TABLE dissem_activities (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    held_on DATE NOT NULL,
    form TEXT NOT NULL,
    topic TEXT NOT NULL,
    laws TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    attendees BIGINT NOT NULL,
    materials BIGINT NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    evidence_file_id BIGINT REFERENCES files(id),
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX dissem_activities_unit_held_idx ON dissem_activities (unit_id, held_on);

-- The special target groups a session reached, with how many of its attendees belong to each.
CREATE TABLE dissem_activity_groups (
    activity_id BIGINT NOT NULL REFERENCES dissem_activities(id) ON DELETE CASCADE,
    target_group TEXT NOT NULL,
    attendees BIGINT NOT NULL,
    PRIMARY KEY (activity_id, target_group)
);

-- The reporters and propagandists who took part in a session.
CREATE TABLE dissem_activity_people (
    activity_id BIGINT NOT NULL REFERENCES dissem_activities(id) ON DELETE CASCADE,
    disseminator_id BIGINT NOT NULL REFERENCES disseminators(id),
    PRIMARY KEY (activity_id, disseminator_id)
);
CREATE INDEX dissem_activity_people_person_idx ON dissem_activity_people (disseminator_id);

-- A training course a reporter or propagandist attended (bồi dưỡng, tập huấn).
CREATE TABLE dissem_trainings (
    id BIGSERIAL PRIMARY KEY,
    disseminator_id BIGINT NOT NULL REFERENCES disseminators(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    organiser TEXT NOT NULL DEFAULT '',
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    hours BIGINT NOT NULL DEFAULT 0,
    certificate BOOLEAN NOT NULL,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX dissem_trainings_person_idx ON dissem_trainings (disseminator_id);
