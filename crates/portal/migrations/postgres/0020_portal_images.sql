-- The pictures of articles (ảnh): uploaded by an editor, made upright, stripped of EXIF and
-- re-encoded (documents::picture), kept in a few widths for `srcset`. `token` is random and
-- names the picture in the Markdown (`![mô tả](anh:TOKEN)`) and in its public address
-- (`/anh/TOKEN-960.jpg`), so a picture of an unpublished article cannot be guessed.
CREATE TABLE portal_images (
    id BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES portal_articles(id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    alt TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX portal_images_token_idx ON portal_images (token);
CREATE INDEX portal_images_article_idx ON portal_images (article_id);

-- Each width of a picture, as JPEG in the shared `files` table.
CREATE TABLE portal_image_sizes (
    image_id BIGINT NOT NULL REFERENCES portal_images(id) ON DELETE CASCADE,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    file_id BIGINT NOT NULL REFERENCES files(id),
    PRIMARY KEY (image_id, width)
);
