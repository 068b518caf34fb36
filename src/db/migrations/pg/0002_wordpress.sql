-- Moving in from WordPress, as src/db/migrations/0002_wordpress.sql: which local row each
-- WordPress id of an imported site became, the attachments' file URLs, and the old paths of
-- imported posts.

CREATE TABLE wp_map (
    site TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('post', 'category', 'tag', 'user')),
    wp_id BIGINT NOT NULL,
    local_id BIGINT NOT NULL,
    seq BIGINT NOT NULL, -- import order, so old links prefer the latest import
    PRIMARY KEY (site, kind, wp_id)
);
CREATE INDEX wp_map_any ON wp_map (kind, wp_id, seq);

CREATE TABLE wp_attachments (
    site TEXT NOT NULL,
    wp_id BIGINT NOT NULL,
    parent_wp_id BIGINT NOT NULL DEFAULT 0,
    url TEXT NOT NULL,
    PRIMARY KEY (site, wp_id)
);

CREATE TABLE wp_paths (
    path TEXT PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE DEFERRABLE
);
