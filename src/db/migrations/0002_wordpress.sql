-- Moving in from WordPress: which local row each WordPress id of an imported site became (so
-- a second import of the same export finds it), the attachments' file URLs, and the old paths
-- of imported posts (answered with a 301 to the new place).

CREATE TABLE wp_map (
    site TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('post', 'category', 'tag', 'user')),
    wp_id INTEGER NOT NULL,
    local_id INTEGER NOT NULL,
    seq INTEGER NOT NULL, -- import order, so old links prefer the latest import
    PRIMARY KEY (site, kind, wp_id)
) WITHOUT ROWID;
CREATE INDEX wp_map_any ON wp_map (kind, wp_id, seq);

CREATE TABLE wp_attachments (
    site TEXT NOT NULL,
    wp_id INTEGER NOT NULL,
    parent_wp_id INTEGER NOT NULL DEFAULT 0,
    url TEXT NOT NULL,
    PRIMARY KEY (site, wp_id)
) WITHOUT ROWID;

CREATE TABLE wp_paths (
    path TEXT PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE
) WITHOUT ROWID;
