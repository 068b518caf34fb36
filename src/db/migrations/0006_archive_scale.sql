-- Reading a large archive at a cost that does not grow with it (docs/storage.md, "Reading a
-- large archive"): counts of published posts kept by triggers per list and period (so no read
-- counts rows, and a deep page finds its place by walking periods), approved comment counts per
-- post, indexes that give every list its order, and a search index of the text readers see.
-- gazette_bucket() and gazette_text() are functions every Gazette connection registers
-- (src/db/sqlite_funcs.c); writes to posts and post_terms need them.

-- 1. Published posts (status published, type post) counted per list and period.
--    list: 0 every post, 1 the home list (every post but the sticky ones), 2 a term (key: its
--    id), 3 an author (key: the user id). level 0 is the whole list (bucket 0); 1 a UTC month
--    (bucket: year * 12 + month - 1); 2 a UTC day, 3 a UTC hour and 4 a minute (bucket: whole
--    days, hours or minutes since the epoch). Posts dated in the future are counted as well:
--    reads count those apart.
CREATE TABLE count_levels (level INTEGER PRIMARY KEY);
INSERT INTO count_levels (level) VALUES (0), (1), (2), (3), (4);

CREATE TABLE post_counts (
    list INTEGER NOT NULL,
    key INTEGER NOT NULL,
    level INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (list, key, level, bucket)
) WITHOUT ROWID;

-- post_terms carries the post's publish time while the post is published (type post), NULL
-- otherwise: a term's posts in date order come from one index.
ALTER TABLE post_terms ADD COLUMN published_at INTEGER;
UPDATE post_terms SET published_at =
    (SELECT p.published_at FROM posts p WHERE p.id = post_terms.post_id AND p.status = 'published' AND p.type = 'post');
CREATE INDEX post_terms_public ON post_terms (term_id, published_at, post_id) WHERE published_at IS NOT NULL;

-- Lists in date order: every post, the home list (sticky apart), an author's.
CREATE INDEX posts_home ON posts (type, status, sticky, published_at, id);
DROP INDEX posts_author;
CREATE INDEX posts_author ON posts (author_id, type, status, published_at, id);

INSERT INTO post_counts (list, key, level, bucket, n)
SELECT 0, 0, l.level, gazette_bucket(l.level, p.published_at), count(*) FROM posts p, count_levels l
WHERE p.status = 'published' AND p.type = 'post' GROUP BY 3, 4;
INSERT INTO post_counts (list, key, level, bucket, n)
SELECT 1, 0, l.level, gazette_bucket(l.level, p.published_at), count(*) FROM posts p, count_levels l
WHERE p.status = 'published' AND p.type = 'post' AND p.sticky = 0 GROUP BY 3, 4;
INSERT INTO post_counts (list, key, level, bucket, n)
SELECT 3, p.author_id, l.level, gazette_bucket(l.level, p.published_at), count(*) FROM posts p, count_levels l
WHERE p.status = 'published' AND p.type = 'post' GROUP BY 2, 3, 4;
INSERT INTO post_counts (list, key, level, bucket, n)
SELECT 2, pt.term_id, l.level, gazette_bucket(l.level, pt.published_at), count(*) FROM post_terms pt, count_levels l
WHERE pt.published_at IS NOT NULL GROUP BY 2, 3, 4;

CREATE TRIGGER posts_count_i AFTER INSERT ON posts WHEN new.status = 'published' AND new.type = 'post' BEGIN
    INSERT INTO post_counts (list, key, level, bucket, n)
    SELECT k.list, k.key, l.level, gazette_bucket(l.level, new.published_at), 1
    FROM count_levels l, (SELECT 0 AS list, 0 AS key UNION ALL SELECT 1, 0 WHERE new.sticky = 0
                          UNION ALL SELECT 3, new.author_id) k
    WHERE 1 ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER posts_count_d AFTER DELETE ON posts WHEN old.status = 'published' AND old.type = 'post' BEGIN
    INSERT INTO post_counts (list, key, level, bucket, n)
    SELECT k.list, k.key, l.level, gazette_bucket(l.level, old.published_at), -1
    FROM count_levels l, (SELECT 0 AS list, 0 AS key UNION ALL SELECT 1, 0 WHERE old.sticky = 0
                          UNION ALL SELECT 3, old.author_id) k
    WHERE 1 ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER posts_count_u AFTER UPDATE OF status, type, published_at, sticky, author_id ON posts
WHEN ((old.status = 'published' AND old.type = 'post') OR (new.status = 'published' AND new.type = 'post'))
    AND (old.status IS NOT new.status OR old.type IS NOT new.type OR old.published_at IS NOT new.published_at
         OR old.sticky IS NOT new.sticky OR old.author_id IS NOT new.author_id) BEGIN
    INSERT INTO post_counts (list, key, level, bucket, n)
    SELECT k.list, k.key, l.level, gazette_bucket(l.level, old.published_at), -1
    FROM count_levels l, (SELECT 0 AS list, 0 AS key UNION ALL SELECT 1, 0 WHERE old.sticky = 0
                          UNION ALL SELECT 3, old.author_id) k
    WHERE old.status = 'published' AND old.type = 'post' ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO post_counts (list, key, level, bucket, n)
    SELECT k.list, k.key, l.level, gazette_bucket(l.level, new.published_at), 1
    FROM count_levels l, (SELECT 0 AS list, 0 AS key UNION ALL SELECT 1, 0 WHERE new.sticky = 0
                          UNION ALL SELECT 3, new.author_id) k
    WHERE new.status = 'published' AND new.type = 'post' ON CONFLICT DO UPDATE SET n = n + excluded.n;
    UPDATE post_terms SET published_at = CASE WHEN new.status = 'published' AND new.type = 'post'
                                              THEN new.published_at END
    WHERE post_id = new.id;
END;

-- A term's counts follow post_terms.published_at: a link made without it takes the post's time
-- when the post is published (the update below counts it), one made with it counts at once.
CREATE TRIGGER post_terms_count_i AFTER INSERT ON post_terms BEGIN
    INSERT INTO post_counts (list, key, level, bucket, n)
    SELECT 2, new.term_id, l.level, gazette_bucket(l.level, new.published_at), 1 FROM count_levels l
    WHERE new.published_at IS NOT NULL ON CONFLICT DO UPDATE SET n = n + excluded.n;
    UPDATE post_terms SET published_at =
        (SELECT p.published_at FROM posts p WHERE p.id = new.post_id AND p.status = 'published' AND p.type = 'post')
    WHERE new.published_at IS NULL AND post_id = new.post_id AND term_id = new.term_id;
END;
CREATE TRIGGER post_terms_count_u AFTER UPDATE OF published_at ON post_terms
WHEN old.published_at IS NOT new.published_at BEGIN
    INSERT INTO post_counts (list, key, level, bucket, n)
    SELECT 2, old.term_id, l.level, gazette_bucket(l.level, old.published_at), -1 FROM count_levels l
    WHERE old.published_at IS NOT NULL ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO post_counts (list, key, level, bucket, n)
    SELECT 2, new.term_id, l.level, gazette_bucket(l.level, new.published_at), 1 FROM count_levels l
    WHERE new.published_at IS NOT NULL ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER post_terms_count_d AFTER DELETE ON post_terms WHEN old.published_at IS NOT NULL BEGIN
    INSERT INTO post_counts (list, key, level, bucket, n)
    SELECT 2, old.term_id, l.level, gazette_bucket(l.level, old.published_at), -1 FROM count_levels l
    WHERE 1 ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
-- After a term's links are gone (the cascade runs first), its counts go too.
CREATE TRIGGER terms_count_d AFTER DELETE ON terms BEGIN
    DELETE FROM post_counts WHERE list = 2 AND key = old.id;
END;

-- 2. Approved comments per post.
CREATE TABLE comment_counts (
    post_id INTEGER PRIMARY KEY,
    approved INTEGER NOT NULL
);
INSERT INTO comment_counts (post_id, approved)
SELECT post_id, count(*) FROM comments WHERE status = 'approved' GROUP BY post_id;

CREATE TRIGGER comments_count_i AFTER INSERT ON comments WHEN new.status = 'approved' BEGIN
    INSERT INTO comment_counts (post_id, approved) VALUES (new.post_id, 1)
    ON CONFLICT DO UPDATE SET approved = approved + 1;
END;
CREATE TRIGGER comments_count_d AFTER DELETE ON comments WHEN old.status = 'approved' BEGIN
    UPDATE comment_counts SET approved = approved - 1 WHERE post_id = old.post_id;
END;
CREATE TRIGGER comments_count_u AFTER UPDATE OF status, post_id ON comments
WHEN (old.status = 'approved' OR new.status = 'approved')
    AND (old.status IS NOT new.status OR old.post_id IS NOT new.post_id) BEGIN
    UPDATE comment_counts SET approved = approved - 1 WHERE post_id = old.post_id AND old.status = 'approved';
    INSERT INTO comment_counts (post_id, approved) SELECT new.post_id, 1 WHERE new.status = 'approved'
    ON CONFLICT DO UPDATE SET approved = approved + 1;
END;
-- A deleted post's comments are deleted first (the cascade), then its count row.
CREATE TRIGGER posts_comment_count_d AFTER DELETE ON posts BEGIN
    DELETE FROM comment_counts WHERE post_id = old.id;
END;

-- A thread's shape (ids and parents in order) from the index alone; the newest approved
-- comments site-wide (the comments feed).
DROP INDEX comments_post;
CREATE INDEX comments_post ON comments (post_id, status, created_at, id, parent_id);
CREATE INDEX comments_approved ON comments (created_at, id) WHERE status = 'approved';

-- 3. Search: the published posts and pages only, as readers see them (the title, the excerpt
--    and the text of the rendered HTML, not its markup). Contentless: the index keeps no copy.
DROP TRIGGER posts_fts_i;
DROP TRIGGER posts_fts_d;
DROP TRIGGER posts_fts_u;
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5 (title, excerpt, body, content = '');
INSERT INTO posts_fts (rowid, title, excerpt, body)
SELECT id, title, excerpt, gazette_text(html) FROM posts WHERE status = 'published';

CREATE TRIGGER posts_fts_i AFTER INSERT ON posts WHEN new.status = 'published' BEGIN
    INSERT INTO posts_fts (rowid, title, excerpt, body) VALUES (new.id, new.title, new.excerpt, gazette_text(new.html));
END;
CREATE TRIGGER posts_fts_d AFTER DELETE ON posts WHEN old.status = 'published' BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, excerpt, body)
    VALUES ('delete', old.id, old.title, old.excerpt, gazette_text(old.html));
END;
CREATE TRIGGER posts_fts_u AFTER UPDATE OF status, title, excerpt, html ON posts
WHEN (old.status = 'published' OR new.status = 'published')
    AND (old.status IS NOT new.status OR old.title IS NOT new.title OR old.excerpt IS NOT new.excerpt
         OR old.html IS NOT new.html) BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, excerpt, body)
    SELECT 'delete', old.id, old.title, old.excerpt, gazette_text(old.html) WHERE old.status = 'published';
    INSERT INTO posts_fts (rowid, title, excerpt, body)
    SELECT new.id, new.title, new.excerpt, gazette_text(new.html) WHERE new.status = 'published';
END;
