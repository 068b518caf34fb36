-- Reading a large archive at a cost that does not grow with it, as
-- src/db/migrations/0006_archive_scale.sql: counts of published posts kept by triggers per list
-- and period, approved comment counts per post, indexes that give every list its order, and a
-- search index of the text readers see (a tsvector with a GIN index, published posts and pages
-- only). The functions gazette_bucket() and gazette_text() are SQLite's C functions written in
-- SQL (src/db/sqlite_funcs.c, src/lib/htmltext.c).

-- The bucket of post_counts that instant t falls in at a level: year * 12 + month - 1 (UTC) for
-- level 1, whole days, hours or minutes since the epoch (rounded down) for 2, 3 and 4, else 0.
CREATE FUNCTION gazette_floor_div(a BIGINT, b BIGINT) RETURNS BIGINT AS $$
    SELECT (a - ((a % b) + b) % b) / b
$$ LANGUAGE sql IMMUTABLE STRICT;

CREATE FUNCTION gazette_bucket(level INTEGER, t BIGINT) RETURNS BIGINT AS $$
DECLARE
    z BIGINT; era BIGINT; doe BIGINT; yoe BIGINT; doy BIGINT; mp BIGINT; y BIGINT; m BIGINT;
BEGIN
    IF level = 2 THEN
        RETURN gazette_floor_div(t, 86400);
    ELSIF level = 3 THEN
        RETURN gazette_floor_div(t, 3600);
    ELSIF level = 4 THEN
        RETURN gazette_floor_div(t, 60);
    ELSIF level <> 1 THEN
        RETURN 0;
    END IF;
    -- the civil date of a day count (days since 1970-01-01), proleptic Gregorian
    z := gazette_floor_div(t, 86400) + 719468;
    era := gazette_floor_div(z, 146097);
    doe := z - era * 146097;
    yoe := (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y := yoe + era * 400;
    doy := doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp := (5 * doy + 2) / 153;
    m := CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END;
    IF m <= 2 THEN
        y := y + 1;
    END IF;
    RETURN y * 12 + m - 1;
END $$ LANGUAGE plpgsql IMMUTABLE STRICT;

-- 1. Published posts (status published, type post) counted per list and period (see the SQLite
--    migration for the lists and levels).
CREATE TABLE count_levels (level INTEGER PRIMARY KEY);
INSERT INTO count_levels (level) VALUES (0), (1), (2), (3), (4);

CREATE TABLE post_counts (
    list INTEGER NOT NULL,
    key BIGINT NOT NULL,
    level INTEGER NOT NULL,
    bucket BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (list, key, level, bucket)
);

ALTER TABLE post_terms ADD COLUMN published_at BIGINT;
CREATE INDEX post_terms_public ON post_terms (term_id, published_at, post_id) WHERE published_at IS NOT NULL;

CREATE INDEX posts_home ON posts (type, status, sticky, published_at, id);
DROP INDEX posts_author;
CREATE INDEX posts_author ON posts (author_id, type, status, published_at, id);

-- Adds delta to the counts of list (list, key) at every level for instant t.
CREATE FUNCTION gazette_count(l INTEGER, k BIGINT, t BIGINT, delta INTEGER) RETURNS void AS $$
    INSERT INTO post_counts (list, key, level, bucket, n)
    SELECT l, k, c.level, gazette_bucket(c.level, t), delta FROM count_levels c
    ON CONFLICT (list, key, level, bucket) DO UPDATE SET n = post_counts.n + excluded.n
$$ LANGUAGE sql;

-- The lists a published post is in: every post, the home list unless sticky, its author's.
CREATE FUNCTION gazette_count_post(p posts, delta INTEGER) RETURNS void AS $$
BEGIN
    PERFORM gazette_count(0, 0, p.published_at, delta);
    IF p.sticky = 0 THEN
        PERFORM gazette_count(1, 0, p.published_at, delta);
    END IF;
    PERFORM gazette_count(3, p.author_id, p.published_at, delta);
END $$ LANGUAGE plpgsql;

CREATE FUNCTION posts_count() RETURNS trigger AS $$
BEGIN
    IF gazette_bulk() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' AND OLD.type = 'post' THEN
        PERFORM gazette_count_post(OLD, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'published' AND NEW.type = 'post' THEN
        PERFORM gazette_count_post(NEW, 1);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        UPDATE post_terms SET published_at = CASE WHEN NEW.status = 'published' AND NEW.type = 'post'
                                                  THEN NEW.published_at END
        WHERE post_id = NEW.id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER posts_count_i AFTER INSERT ON posts FOR EACH ROW
    WHEN (NEW.status = 'published' AND NEW.type = 'post') EXECUTE FUNCTION posts_count();
CREATE TRIGGER posts_count_d AFTER DELETE ON posts FOR EACH ROW
    WHEN (OLD.status = 'published' AND OLD.type = 'post') EXECUTE FUNCTION posts_count();
CREATE TRIGGER posts_count_u AFTER UPDATE OF status, type, published_at, sticky, author_id ON posts FOR EACH ROW
    WHEN (((OLD.status = 'published' AND OLD.type = 'post') OR (NEW.status = 'published' AND NEW.type = 'post'))
          AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.type IS DISTINCT FROM NEW.type
               OR OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.sticky IS DISTINCT FROM NEW.sticky
               OR OLD.author_id IS DISTINCT FROM NEW.author_id))
    EXECUTE FUNCTION posts_count();

-- A term's counts follow post_terms.published_at: a link made without it takes the post's time
-- when the post is published (the update below counts it), one made with it counts at once.
CREATE FUNCTION post_terms_count() RETURNS trigger AS $$
BEGIN
    IF gazette_bulk() THEN
        RETURN NULL;
    END IF;
    -- (a link deleted with its term: the term's counts go with it, whichever trigger runs first)
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.published_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM terms WHERE id = OLD.term_id) THEN
        PERFORM gazette_count(2, OLD.term_id, OLD.published_at, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.published_at IS NOT NULL THEN
        PERFORM gazette_count(2, NEW.term_id, NEW.published_at, 1);
    END IF;
    IF TG_OP = 'INSERT' AND NEW.published_at IS NULL THEN
        UPDATE post_terms SET published_at =
            (SELECT p.published_at FROM posts p WHERE p.id = NEW.post_id AND p.status = 'published' AND p.type = 'post')
        WHERE post_id = NEW.post_id AND term_id = NEW.term_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER post_terms_count_i AFTER INSERT ON post_terms FOR EACH ROW EXECUTE FUNCTION post_terms_count();
CREATE TRIGGER post_terms_count_u AFTER UPDATE OF published_at ON post_terms FOR EACH ROW
    WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at) EXECUTE FUNCTION post_terms_count();
CREATE TRIGGER post_terms_count_d AFTER DELETE ON post_terms FOR EACH ROW
    WHEN (OLD.published_at IS NOT NULL) EXECUTE FUNCTION post_terms_count();

-- After a term's links are gone, its counts go too.
CREATE FUNCTION terms_count_d() RETURNS trigger AS $$
BEGIN
    DELETE FROM post_counts WHERE list = 2 AND key = OLD.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER terms_count_d AFTER DELETE ON terms FOR EACH ROW EXECUTE FUNCTION terms_count_d();

-- 2. Approved comments per post.
CREATE TABLE comment_counts (
    post_id BIGINT PRIMARY KEY,
    approved BIGINT NOT NULL
);

CREATE FUNCTION comments_count() RETURNS trigger AS $$
BEGIN
    IF gazette_bulk() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'approved' THEN
        UPDATE comment_counts SET approved = approved - 1 WHERE post_id = OLD.post_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'approved' THEN
        INSERT INTO comment_counts (post_id, approved) VALUES (NEW.post_id, 1)
        ON CONFLICT (post_id) DO UPDATE SET approved = comment_counts.approved + 1;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER comments_count_i AFTER INSERT ON comments FOR EACH ROW
    WHEN (NEW.status = 'approved') EXECUTE FUNCTION comments_count();
CREATE TRIGGER comments_count_d AFTER DELETE ON comments FOR EACH ROW
    WHEN (OLD.status = 'approved') EXECUTE FUNCTION comments_count();
CREATE TRIGGER comments_count_u AFTER UPDATE OF status, post_id ON comments FOR EACH ROW
    WHEN ((OLD.status = 'approved' OR NEW.status = 'approved')
          AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.post_id IS DISTINCT FROM NEW.post_id))
    EXECUTE FUNCTION comments_count();

-- A deleted post's comments are deleted first (the cascade), then its count row.
CREATE FUNCTION posts_comment_count_d() RETURNS trigger AS $$
BEGIN
    DELETE FROM comment_counts WHERE post_id = OLD.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER posts_comment_count_d AFTER DELETE ON posts FOR EACH ROW EXECUTE FUNCTION posts_comment_count_d();

-- A thread's shape from the index alone; the newest approved comments site-wide.
DROP INDEX comments_post;
CREATE INDEX comments_post ON comments (post_id, status, created_at, id, parent_id);
CREATE INDEX comments_approved ON comments (created_at, id) WHERE status = 'approved';

-- 3. Search: the published posts and pages, as readers see them. The text of the rendered HTML
--    as src/lib/htmltext.c makes it: scripts and styles dropped, inline tags joined to their
--    words, other tags a space, the common entities decoded.
CREATE FUNCTION gazette_text(html TEXT) RETURNS TEXT AS $$
DECLARE
    s TEXT := html;
    m TEXT[];
    code INTEGER;
BEGIN
    s := regexp_replace(s, '<(script|style)\M.*?</\1[^>]*>', ' ', 'gi');
    s := regexp_replace(s, '</?(a|em|strong|b|i|u|code|span|del|s|sub|sup|small|mark|abbr|kbd|q|cite)\M[^>]*>',
                        '', 'gi');
    s := regexp_replace(s, '<[^>]*(>|$)', ' ', 'g');
    s := replace(replace(replace(replace(s, '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', '''');
    s := replace(replace(replace(s, '&apos;', ''''), '&nbsp;', ' '), '&mdash;', U&'\2014');
    s := replace(replace(replace(s, '&ndash;', U&'\2013'), '&hellip;', U&'\2026'), '&rsquo;', U&'\2019');
    s := replace(replace(replace(s, '&lsquo;', U&'\2018'), '&rdquo;', U&'\201D'), '&ldquo;', U&'\201C');
    LOOP
        m := regexp_match(s, '&#([xX]?)([0-9A-Fa-f]{1,7});');
        EXIT WHEN m IS NULL;
        BEGIN
            code := CASE WHEN m[1] = '' THEN m[2]::INTEGER
                         ELSE ('x' || lpad(m[2], 8, '0'))::bit(32)::INTEGER END;
            IF code < 1 OR code > 1114111 OR (code >= 55296 AND code <= 57343) THEN
                code := 65533;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            code := 65533;
        END;
        s := replace(s, '&#' || m[1] || m[2] || ';', chr(code));
    END LOOP;
    RETURN replace(s, '&amp;', '&');
END $$ LANGUAGE plpgsql IMMUTABLE STRICT;

-- Title, excerpt and text weighted A, B and D (db/pg.c ranks them 10 : 3 : 1, as SQLite's
-- gazette_rank does), words as they are written (the simple configuration: no stemming).
CREATE FUNCTION gazette_doc(title TEXT, excerpt TEXT, html TEXT) RETURNS tsvector AS $$
    SELECT setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', excerpt), 'B')
        || setweight(to_tsvector('simple', gazette_text(html)), 'D')
$$ LANGUAGE sql IMMUTABLE STRICT;

CREATE TABLE posts_search (
    id BIGINT PRIMARY KEY,
    doc tsvector NOT NULL
);
CREATE INDEX posts_search_doc ON posts_search USING gin (doc);

CREATE FUNCTION posts_search() RETURNS trigger AS $$
BEGIN
    IF gazette_bulk() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' THEN
        DELETE FROM posts_search WHERE id = OLD.id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'published' THEN
        INSERT INTO posts_search (id, doc) VALUES (NEW.id, gazette_doc(NEW.title, NEW.excerpt, NEW.html));
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER posts_search_i AFTER INSERT ON posts FOR EACH ROW
    WHEN (NEW.status = 'published') EXECUTE FUNCTION posts_search();
CREATE TRIGGER posts_search_d AFTER DELETE ON posts FOR EACH ROW
    WHEN (OLD.status = 'published') EXECUTE FUNCTION posts_search();
CREATE TRIGGER posts_search_u AFTER UPDATE OF status, title, excerpt, html ON posts FOR EACH ROW
    WHEN ((OLD.status = 'published' OR NEW.status = 'published')
          AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.title IS DISTINCT FROM NEW.title
               OR OLD.excerpt IS DISTINCT FROM NEW.excerpt OR OLD.html IS DISTINCT FROM NEW.html))
    EXECUTE FUNCTION posts_search();

-- A search (db_post_search) as a tsquery: every term must be found, a term's words in their
-- order, and a term with its prefix flag set also matches longer words starting with its last.
-- The terms are plain text: to_tsquery sees only the lexemes phraseto_tsquery made of them.
CREATE FUNCTION gazette_query(terms TEXT[], prefix INTEGER[]) RETURNS tsquery AS $$
DECLARE
    q tsquery;
    t tsquery;
BEGIN
    FOR i IN 1 .. COALESCE(array_length(terms, 1), 0) LOOP
        t := phraseto_tsquery('simple', terms[i]);
        CONTINUE WHEN numnode(t) = 0;
        IF prefix[i] = 1 THEN
            t := to_tsquery('simple', t::TEXT || ':*');
        END IF;
        q := CASE WHEN q IS NULL THEN t ELSE q && t END;
    END LOOP;
    RETURN q;
END $$ LANGUAGE plpgsql IMMUTABLE;
