-- Monthly counts of cases per team, field and status, kept current by a trigger in the same
-- transaction as every write to mediation_cases, so that a province's report over months reads
-- one row per team, month, field and status instead of every case. `month` is the first day of
-- the month the case was received in. See docs/mediation.md, "Counting".
-- No case may be written between the fill below and the trigger's creation (another instance
-- still running during a rolling deploy): hold writers off for this migration's transaction.
LOCK TABLE mediation_cases IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE mediation_case_counts (
    team_id BIGINT NOT NULL REFERENCES mediation_teams(id),
    month DATE NOT NULL,
    field TEXT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (team_id, month, field, status)
);

INSERT INTO mediation_case_counts (team_id, month, field, status, n)
SELECT team_id, CAST(date_trunc('month', received_on) AS DATE), field, status, COUNT(*) FROM mediation_cases
GROUP BY team_id, CAST(date_trunc('month', received_on) AS DATE), field, status;

CREATE FUNCTION mediation_case_counts_keep() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'UPDATE' AND OLD.team_id = NEW.team_id AND OLD.received_on = NEW.received_on
           AND OLD.field = NEW.field AND OLD.status = NEW.status THEN
            RETURN NEW;
        END IF;
        UPDATE mediation_case_counts SET n = n - 1
        WHERE team_id = OLD.team_id AND month = CAST(date_trunc('month', OLD.received_on) AS DATE)
          AND field = OLD.field AND status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO mediation_case_counts (team_id, month, field, status, n)
        VALUES (NEW.team_id, CAST(date_trunc('month', NEW.received_on) AS DATE), NEW.field, NEW.status, 1)
        ON CONFLICT (team_id, month, field, status) DO UPDATE SET n = mediation_case_counts.n + 1;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER mediation_case_counts_keep AFTER INSERT OR UPDATE OR DELETE ON mediation_cases
FOR EACH ROW EXECUTE FUNCTION mediation_case_counts_keep();
