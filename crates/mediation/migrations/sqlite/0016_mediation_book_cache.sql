-- The generated tracking book of a team and year, kept so that a large book (a closed year's
-- above all) is not rebuilt on every download. `mediation_book_stamps.version` is bumped by the
-- triggers below in the same transaction as every write to what the book shows (cases, parties,
-- assigned mediators, mediators' names); a cached book is served only while it was built from
-- the team's current version and its `key` (the heading, the layout and the catalogue) matches.
-- See docs/mediation.md, "The tracking book".
CREATE TABLE mediation_book_stamps (
    team_id INTEGER PRIMARY KEY REFERENCES mediation_teams(id),
    version BIGINT NOT NULL
);

CREATE TABLE mediation_book_cache (
    team_id INTEGER NOT NULL REFERENCES mediation_teams(id),
    year BIGINT NOT NULL,
    format TEXT NOT NULL,
    stamp BIGINT NOT NULL,
    key TEXT NOT NULL,
    bytes BLOB NOT NULL,
    built_at DATETIME NOT NULL,
    PRIMARY KEY (team_id, year, format)
);

CREATE TRIGGER mediation_book_case_insert AFTER INSERT ON mediation_cases
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) VALUES (NEW.team_id, 1)
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER mediation_book_case_update AFTER UPDATE ON mediation_cases
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) VALUES (NEW.team_id, 1)
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
    INSERT INTO mediation_book_stamps (team_id, version) SELECT OLD.team_id, 1 WHERE OLD.team_id <> NEW.team_id
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER mediation_book_case_delete AFTER DELETE ON mediation_cases
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) VALUES (OLD.team_id, 1)
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER mediation_book_party_insert AFTER INSERT ON mediation_parties
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) SELECT team_id, 1 FROM mediation_cases WHERE id = NEW.case_id
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER mediation_book_party_update AFTER UPDATE ON mediation_parties
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) SELECT team_id, 1 FROM mediation_cases WHERE id IN (OLD.case_id, NEW.case_id)
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER mediation_book_party_delete AFTER DELETE ON mediation_parties
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) SELECT team_id, 1 FROM mediation_cases WHERE id = OLD.case_id
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER mediation_book_assignment_insert AFTER INSERT ON mediation_case_mediators
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) SELECT team_id, 1 FROM mediation_cases WHERE id = NEW.case_id
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER mediation_book_assignment_update AFTER UPDATE ON mediation_case_mediators
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) SELECT team_id, 1 FROM mediation_cases WHERE id IN (OLD.case_id, NEW.case_id)
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER mediation_book_assignment_delete AFTER DELETE ON mediation_case_mediators
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) SELECT team_id, 1 FROM mediation_cases WHERE id = OLD.case_id
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER mediation_book_mediator_name AFTER UPDATE OF full_name ON mediators
WHEN OLD.full_name <> NEW.full_name
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version)
    SELECT DISTINCT k.team_id, 1 FROM mediation_case_mediators a JOIN mediation_cases k ON k.id = a.case_id WHERE a.mediator_id = NEW.id
    ON CONFLICT (team_id) DO UPDATE SET version = version + 1;
END;
