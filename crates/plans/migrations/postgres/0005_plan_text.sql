-- The whole text of a plan, for the official document exported from it (issue 10 §5): the
-- paragraphs under each section heading, the preamble before the first section and the
-- closing paragraphs after the last. Paragraphs are separated by a newline.
ALTER TABLE plan_sections ADD COLUMN body TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN preamble TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN closing TEXT NOT NULL DEFAULT '';
