-- The most-missed questions of a round (câu hỏi trả lời sai nhiều nhất), kept by the write
-- path when an attempt closes, in the same transaction: per question, how many closed
-- attempts drew it, answered it, and answered it correctly. Each closing adds to one of a few
-- shards (the attempt's id modulo the shard count) so that concurrent closings on PostgreSQL
-- rarely wait on the same rows; the statistics sum the shards.
CREATE TABLE contest_question_counts (
    round_id INTEGER NOT NULL REFERENCES contest_rounds(id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES contest_questions(id) ON DELETE CASCADE,
    shard BIGINT NOT NULL,
    drawn BIGINT NOT NULL DEFAULT 0,
    answered BIGINT NOT NULL DEFAULT 0,
    correct BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, question_id, shard)
);

-- Collective prizes for units (giải tập thể): how units are scored (JSON: the mode, the level
-- of the units, the points a prize-winner brings per prize name, and the collective prize
-- bands); empty when the contest has none.
ALTER TABLE contests ADD COLUMN collective TEXT NOT NULL DEFAULT '';

-- The number of people a unit's participation rate is counted against (số đối tượng: its
-- cadres, pupils or residents, as the organiser sets it).
CREATE TABLE contest_unit_targets (
    contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    headcount BIGINT NOT NULL,
    PRIMARY KEY (contest_id, unit_id)
);

-- The collective prizes as published (công bố giải tập thể): JSON lines as they stood, so the
-- public page reads one row. Publishing again replaces them.
CREATE TABLE contest_collective_results (
    contest_id INTEGER PRIMARY KEY REFERENCES contests(id) ON DELETE CASCADE,
    lines TEXT NOT NULL,
    published_by INTEGER NOT NULL REFERENCES accounts(id),
    published_at DATETIME NOT NULL
);
