-- The public portal (PostgreSQL) (cổng thông tin): categories (chuyên mục), campaigns (chiến dịch, e.g. Ngày
-- Pháp luật 9/11), articles and static pages (tin bài, trang tĩnh) with their editorial status,
-- schedule and owning unit, their tags, and one version row per save. See docs/portal.md.

-- A category of news, site-wide.
CREATE TABLE portal_categories (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX portal_categories_slug_idx ON portal_categories (slug);

-- A campaign with its dates; articles may belong to one.
CREATE TABLE portal_campaigns (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX portal_campaigns_slug_idx ON portal_campaigns (slug);

-- An article (`kind` news) or a static page (`kind` page) of a unit. `body_md` is what the
-- editor wrote (Markdown), `body_html` the rendered and sanitised HTML shown to the public.
-- `status`: draft, submitted, returned, published, unpublished; a published article is public
-- from `publish_at` (if set) until `unpublish_at` (if set), compared with the time of reading.
CREATE TABLE portal_articles (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'news',
    unit_id BIGINT NOT NULL REFERENCES units(id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    category_id BIGINT REFERENCES portal_categories(id),
    campaign_id BIGINT REFERENCES portal_campaigns(id),
    featured BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL DEFAULT 'draft',
    return_reason TEXT NOT NULL DEFAULT '',
    publish_at TIMESTAMPTZ,
    unpublish_at TIMESTAMPTZ,
    published_at TIMESTAMPTZ,
    published_by BIGINT REFERENCES accounts(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX portal_articles_slug_idx ON portal_articles (slug);
CREATE INDEX portal_articles_unit_idx ON portal_articles (unit_id);
CREATE INDEX portal_articles_public_idx ON portal_articles (status, kind, published_at);
CREATE INDEX portal_articles_category_idx ON portal_articles (category_id);
CREATE INDEX portal_articles_campaign_idx ON portal_articles (campaign_id);

-- A tag of an article (nhãn): its text and its slug.
CREATE TABLE portal_article_tags (
    article_id BIGINT NOT NULL REFERENCES portal_articles(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (article_id, slug)
);
CREATE INDEX portal_article_tags_slug_idx ON portal_article_tags (slug);

-- Every save of an article, in order: what was written and who wrote it.
CREATE TABLE portal_article_versions (
    id BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES portal_articles(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    saved_by BIGINT REFERENCES accounts(id),
    saved_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX portal_article_versions_idx ON portal_article_versions (article_id, version);
