-- Grassroots mediation (hòa giải ở cơ sở): teams of a village with their establishment
-- decision and history, mediators with their recognition, election and end of service,
-- training, cases following the law's workflow with their parties (personal data), assigned
-- mediators, history and remuneration payments. See docs/mediation.md.

-- A mediation team (tổ hòa giải) of a village (thôn, tổ dân phố). `commune_id` is the village's
-- commune, kept for scoping and counting. A merged or split team ends (`ended_on`) and its
-- successors are linked in mediation_team_links; its cases stay with it.
CREATE TABLE mediation_teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    village_id INTEGER NOT NULL REFERENCES units(id),
    commune_id INTEGER NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    decision_no TEXT,
    decision_on DATE,
    decision_signer TEXT,
    decision_file_id INTEGER REFERENCES files(id),
    established_on DATE NOT NULL,
    ended_on DATE,
    end_note TEXT,
    ethnic_minority_area BOOLEAN NOT NULL,
    leader_id INTEGER,
    leader_decision_no TEXT,
    leader_decision_on DATE,
    created_by INTEGER REFERENCES accounts(id),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX mediation_teams_commune_idx ON mediation_teams (commune_id);
CREATE INDEX mediation_teams_village_idx ON mediation_teams (village_id);

-- What a team became: merged into, or split into (one row per successor).
CREATE TABLE mediation_team_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_team_id INTEGER NOT NULL REFERENCES mediation_teams(id),
    to_team_id INTEGER NOT NULL REFERENCES mediation_teams(id),
    kind TEXT NOT NULL,
    effective DATE NOT NULL,
    note TEXT
);
CREATE INDEX mediation_team_links_from_idx ON mediation_team_links (from_team_id);
CREATE INDEX mediation_team_links_to_idx ON mediation_team_links (to_team_id);

-- A mediator (hòa giải viên) of a team, with the roster's fields, the chair's recognition,
-- the election record and the end of service (thôi làm hòa giải viên). `account_id` links the
-- mediator's own account (role mediator), which sees the team's cases.
CREATE TABLE mediators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL REFERENCES mediation_teams(id),
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_year BIGINT,
    ethnicity TEXT,
    ethnic_minority BOOLEAN NOT NULL,
    address TEXT,
    phone TEXT,
    occupation TEXT,
    legal_training TEXT,
    membership TEXT,
    recognition_no TEXT,
    recognition_on DATE,
    election_form TEXT,
    households_total BIGINT,
    households_present BIGINT,
    votes_for BIGINT,
    served_from DATE NOT NULL,
    ended_on DATE,
    end_reason TEXT,
    account_id INTEGER REFERENCES accounts(id),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX mediators_team_idx ON mediators (team_id);
CREATE INDEX mediators_account_idx ON mediators (account_id);

-- A course attended by a mediator (tập huấn, bồi dưỡng), for Đề án 315's progress figure.
CREATE TABLE mediator_trainings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mediator_id INTEGER NOT NULL REFERENCES mediators(id),
    title TEXT NOT NULL,
    organiser TEXT NOT NULL,
    start_on DATE NOT NULL,
    end_on DATE NOT NULL,
    hours BIGINT NOT NULL,
    certificate BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX mediator_trainings_mediator_idx ON mediator_trainings (mediator_id);

-- A mediation case (vụ, việc hòa giải), or a matter refused or referred because the law
-- excludes it (status refused / excluded_referred, with `exclusion`). Personal data and the
-- contents (summary, agreement, positions) are shown only to the team and the commune.
CREATE TABLE mediation_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL REFERENCES mediation_teams(id),
    commune_id INTEGER NOT NULL REFERENCES units(id),
    received_on DATE NOT NULL,
    origin TEXT NOT NULL,
    field TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    exclusion TEXT,
    assigned_on DATE,
    started_on DATE,
    late_reason TEXT,
    ended_on DATE,
    agreement TEXT,
    positions TEXT,
    referred_to TEXT,
    escalation TEXT,
    follow_up TEXT,
    follow_up_note TEXT,
    payable BIGINT,
    paid_on DATE,
    created_by INTEGER REFERENCES accounts(id),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX mediation_cases_team_idx ON mediation_cases (team_id, received_on, status, field);
CREATE INDEX mediation_cases_commune_idx ON mediation_cases (commune_id, received_on);

-- The parties (các bên) and persons with related rights and obligations.
CREATE TABLE mediation_parties (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES mediation_cases(id),
    full_name TEXT NOT NULL,
    birth_year BIGINT,
    address TEXT,
    position BIGINT NOT NULL
);
CREATE INDEX mediation_parties_case_idx ON mediation_parties (case_id);

-- Mediators assigned to (or declaring a conflict of interest on) a case.
CREATE TABLE mediation_case_mediators (
    case_id INTEGER NOT NULL REFERENCES mediation_cases(id),
    mediator_id INTEGER NOT NULL REFERENCES mediators(id),
    conflict BOOLEAN NOT NULL,
    note TEXT,
    PRIMARY KEY (case_id, mediator_id)
);
CREATE INDEX mediation_case_mediators_mediator_idx ON mediation_case_mediators (mediator_id);

-- The history of a case: every step, with who and when.
CREATE TABLE mediation_case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES mediation_cases(id),
    kind TEXT NOT NULL,
    note TEXT,
    account_id INTEGER REFERENCES accounts(id),
    at DATETIME NOT NULL
);
CREATE INDEX mediation_case_events_case_idx ON mediation_case_events (case_id);
