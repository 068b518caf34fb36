-- The media library: uploaded images (one row a file, found again by the hash of its bytes), the
-- resized copies made of each at upload (media_copies: one row a stored file under uploads/),
-- a post's featured image, and which posts show which media (featured or in the body), so that
-- the library can say where a medium is used and a change of its text drops those pages.

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the uploaded bytes, hex: the same file twice is one medium
    dir TEXT NOT NULL,          -- 'YYYY/MM' under uploads/, the month of the upload (UTC)
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif',
                                       'image/heic')), -- what the bytes decoded as
    width INTEGER NOT NULL CHECK (width > 0),   -- upright, after the EXIF orientation
    height INTEGER NOT NULL CHECK (height > 0),
    bytes INTEGER NOT NULL,     -- of the uploaded file (not kept: every stored copy is re-encoded)
    title TEXT NOT NULL DEFAULT '',
    alt TEXT NOT NULL DEFAULT '',
    caption TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    wp_key TEXT UNIQUE          -- 'SITE#ID' of the WordPress attachment it was imported from
);
CREATE INDEX media_created ON media (created_at, id);

CREATE TABLE media_copies (
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    format TEXT NOT NULL CHECK (format IN ('webp', 'jpeg', 'png')),
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    bytes INTEGER NOT NULL,
    path TEXT NOT NULL UNIQUE,  -- under uploads/: 'YYYY/MM/HASH20-WIDTH.webp'
    PRIMARY KEY (media_id, format, width)
);

ALTER TABLE posts ADD COLUMN featured_id INTEGER REFERENCES media (id) ON DELETE SET NULL;
CREATE INDEX posts_featured ON posts (featured_id) WHERE featured_id IS NOT NULL;

CREATE TABLE post_media (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, media_id)
);
CREATE INDEX post_media_media ON post_media (media_id, post_id);

-- The featured image shows on the post's page and in lists.
CREATE TRIGGER posts_featured_log_u AFTER UPDATE OF featured_id ON posts BEGIN
    INSERT INTO changes (kind, id) VALUES ('post', new.id);
END;
-- A medium's text (alt, caption, credit) shows wherever the medium does: the content generation
-- moves (so caches look at the log) and the posts that show it are logged.
CREATE TRIGGER media_log_u AFTER UPDATE OF title, alt, caption, credit ON media BEGIN
    UPDATE generation SET gen = gen + 1;
    INSERT INTO changes (kind, id) SELECT 'post', id FROM posts WHERE featured_id = new.id;
    INSERT INTO changes (kind, id) SELECT 'post', post_id FROM post_media WHERE media_id = new.id;
END;
-- A deleted medium: its posts lose the featured image by the foreign key (logged above); those
-- that showed it in their bodies are logged here.
CREATE TRIGGER media_log_d BEFORE DELETE ON media BEGIN
    UPDATE generation SET gen = gen + 1;
    INSERT INTO changes (kind, id) SELECT 'post', post_id FROM post_media WHERE media_id = old.id;
END;
