-- Old counting windows are pruned on every registration (`DELETE … WHERE window_start < $1`):
-- without this index each prune read the whole table, which holds a few rows per entrant and
-- per client address, and made registration slower as a contest grew.
CREATE INDEX contest_limits_window_idx ON contest_limits (window_start);
