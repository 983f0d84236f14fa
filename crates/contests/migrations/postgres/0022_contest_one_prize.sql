-- The rule "one prize per person" (mỗi người chỉ nhận một giải): an entrant who wins in
-- several rounds keeps only the highest prize; the others pass to the next entrants.
ALTER TABLE contests ADD COLUMN one_prize_per_person BOOLEAN NOT NULL DEFAULT FALSE;
