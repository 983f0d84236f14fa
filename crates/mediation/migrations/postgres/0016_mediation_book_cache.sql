-- The generated tracking book of a team and year, kept so that a large book (a closed year's
-- above all) is not rebuilt on every download. `mediation_book_stamps.version` is bumped by the
-- triggers below in the same transaction as every write to what the book shows (cases, parties,
-- assigned mediators, mediators' names); a cached book is served only while it was built from
-- the team's current version and its `key` (the heading, the layout and the catalogue) matches.
-- See docs/mediation.md, "The tracking book".
CREATE TABLE mediation_book_stamps (
    team_id BIGINT PRIMARY KEY REFERENCES mediation_teams(id),
    version BIGINT NOT NULL
);

CREATE TABLE mediation_book_cache (
    team_id BIGINT NOT NULL REFERENCES mediation_teams(id),
    year BIGINT NOT NULL,
    format TEXT NOT NULL,
    stamp BIGINT NOT NULL,
    key TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    built_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (team_id, year, format)
);

CREATE FUNCTION mediation_book_bump(team BIGINT) RETURNS void AS $$
BEGIN
    INSERT INTO mediation_book_stamps (team_id, version) VALUES (team, 1)
    ON CONFLICT (team_id) DO UPDATE SET version = mediation_book_stamps.version + 1;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION mediation_book_case_keep() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM mediation_book_bump(NEW.team_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.team_id <> NEW.team_id) THEN
        PERFORM mediation_book_bump(OLD.team_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER mediation_book_case_keep AFTER INSERT OR UPDATE OR DELETE ON mediation_cases
FOR EACH ROW EXECUTE FUNCTION mediation_book_case_keep();

-- Parties and assigned mediators: the team of the case they belong to.
CREATE FUNCTION mediation_book_case_child_keep() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM mediation_book_bump(k.team_id) FROM mediation_cases k WHERE k.id = NEW.case_id;
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.case_id <> NEW.case_id) THEN
        PERFORM mediation_book_bump(k.team_id) FROM mediation_cases k WHERE k.id = OLD.case_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER mediation_book_party_keep AFTER INSERT OR UPDATE OR DELETE ON mediation_parties
FOR EACH ROW EXECUTE FUNCTION mediation_book_case_child_keep();

CREATE TRIGGER mediation_book_assignment_keep AFTER INSERT OR UPDATE OR DELETE ON mediation_case_mediators
FOR EACH ROW EXECUTE FUNCTION mediation_book_case_child_keep();

CREATE FUNCTION mediation_book_mediator_keep() RETURNS trigger AS $$
BEGIN
    PERFORM mediation_book_bump(t.team_id) FROM (
        SELECT DISTINCT k.team_id FROM mediation_case_mediators a JOIN mediation_cases k ON k.id = a.case_id WHERE a.mediator_id = NEW.id
    ) t;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER mediation_book_mediator_keep AFTER UPDATE OF full_name ON mediators
FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name) EXECUTE FUNCTION mediation_book_mediator_keep();
