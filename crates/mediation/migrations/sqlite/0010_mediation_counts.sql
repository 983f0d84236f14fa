-- Monthly counts of cases per team, field and status, kept current by triggers in the same
-- transaction as every write to mediation_cases, so that a province's report over months reads
-- one row per team, month, field and status instead of every case. `month` is the first day of
-- the month the case was received in. See docs/mediation.md, "Counting".
CREATE TABLE mediation_case_counts (
    team_id INTEGER NOT NULL REFERENCES mediation_teams(id),
    month DATE NOT NULL,
    field TEXT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (team_id, month, field, status)
);

INSERT INTO mediation_case_counts (team_id, month, field, status, n)
SELECT team_id, substr(received_on, 1, 7) || '-01', field, status, COUNT(*) FROM mediation_cases
GROUP BY team_id, substr(received_on, 1, 7) || '-01', field, status;

CREATE TRIGGER mediation_case_counts_insert AFTER INSERT ON mediation_cases
BEGIN
    INSERT INTO mediation_case_counts (team_id, month, field, status, n)
    VALUES (NEW.team_id, substr(NEW.received_on, 1, 7) || '-01', NEW.field, NEW.status, 1)
    ON CONFLICT (team_id, month, field, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER mediation_case_counts_update AFTER UPDATE OF team_id, received_on, field, status ON mediation_cases
WHEN OLD.team_id <> NEW.team_id OR OLD.received_on <> NEW.received_on OR OLD.field <> NEW.field OR OLD.status <> NEW.status
BEGIN
    UPDATE mediation_case_counts SET n = n - 1
    WHERE team_id = OLD.team_id AND month = substr(OLD.received_on, 1, 7) || '-01' AND field = OLD.field AND status = OLD.status;
    INSERT INTO mediation_case_counts (team_id, month, field, status, n)
    VALUES (NEW.team_id, substr(NEW.received_on, 1, 7) || '-01', NEW.field, NEW.status, 1)
    ON CONFLICT (team_id, month, field, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER mediation_case_counts_delete AFTER DELETE ON mediation_cases
BEGIN
    UPDATE mediation_case_counts SET n = n - 1
    WHERE team_id = OLD.team_id AND month = substr(OLD.received_on, 1, 7) || '-01' AND field = OLD.field AND status = OLD.status;
END;
