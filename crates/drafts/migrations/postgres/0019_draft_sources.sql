-- Drafts uploaded as a file, and comments received outside the site.

-- The draft's original file (DOCX or PDF, in the shared `files` table), downloadable by the
-- public once the draft is published; its text was read into the parts when it was created.
ALTER TABLE drafts ADD COLUMN file_id BIGINT REFERENCES files(id);

-- How a comment arrived: 'web' (the public page), 'paper' (a letter or written document),
-- 'email' (an e-mail to the drafting body) or 'meeting' (a conference or consultation
-- meeting); the last three are entered by an officer (`entered_by`).
ALTER TABLE draft_comments ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
ALTER TABLE draft_comments ADD COLUMN entered_by BIGINT REFERENCES accounts(id);
