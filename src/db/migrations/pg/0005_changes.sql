-- The change log, as src/db/migrations/0005_changes.sql: what each committed write changed, in
-- commit order, appended by triggers whoever writes, so that a page cache in any process on any
-- machine can drop only the pages that show it (docs/storage.md, "The change log").
--   kind 'post'     id = post: the post, its place in lists and feeds, its neighbours' links
--   kind 'comments' id = post: the approved comments of the post (its page, count, comment feeds)
--   kind 'site'     id = 0: settings, a term renamed or deleted, an author renamed: every page
--
-- Sequence numbers follow each other without gaps, in commit order, as SQLite's single writer
-- gives them: each row takes the next number from the one row of change_head, whose lock the
-- transaction then holds to its end (a rolled back one gives its numbers back), and every
-- transaction that writes the content tables first takes the site's write lock (an advisory
-- lock, also taken by db_begin), so writers never wait for each other's row locks the other way
-- round. At commit, a notification on the channel gazette_changes carries the newest number to
-- every node listening.
--
-- A bulk load (db_bulk_begin) sets gazette.bulk for its transaction: the row triggers then do
-- nothing, and the load's end makes their work in one pass and logs a 'site' change.

CREATE FUNCTION gazette_bulk() RETURNS BOOLEAN AS $$
    SELECT COALESCE(current_setting('gazette.bulk', true), '') = 'on'
$$ LANGUAGE sql STABLE;

-- The site's write lock: the key is the same in every Gazette program (db/pg.c).
CREATE FUNCTION gazette_write_lock() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7160379046331413);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TABLE change_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO change_head (id, seq) VALUES (1, 0);

CREATE TABLE changes (
    seq BIGINT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('post', 'comments', 'site')),
    id BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION changes_seq() RETURNS trigger AS $$
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO NEW.seq;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER changes_seq BEFORE INSERT ON changes FOR EACH ROW EXECUTE FUNCTION changes_seq();

CREATE FUNCTION changes_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('gazette_changes', (SELECT seq FROM change_head WHERE id = 1)::text);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER changes_notify AFTER INSERT ON changes FOR EACH STATEMENT EXECUTE FUNCTION changes_notify();

-- Appends one row unless a bulk load is on.
CREATE FUNCTION gazette_log(k TEXT, i BIGINT) RETURNS void AS $$
BEGIN
    IF NOT gazette_bulk() THEN
        INSERT INTO changes (kind, id) VALUES (k, i);
    END IF;
END $$ LANGUAGE plpgsql;

-- The write lock, before any row of these tables is touched.
CREATE TRIGGER posts_lock BEFORE INSERT OR UPDATE OR DELETE ON posts
    FOR EACH STATEMENT EXECUTE FUNCTION gazette_write_lock();
CREATE TRIGGER post_terms_lock BEFORE INSERT OR UPDATE OR DELETE ON post_terms
    FOR EACH STATEMENT EXECUTE FUNCTION gazette_write_lock();
CREATE TRIGGER comments_lock BEFORE INSERT OR UPDATE OR DELETE ON comments
    FOR EACH STATEMENT EXECUTE FUNCTION gazette_write_lock();
CREATE TRIGGER terms_lock BEFORE INSERT OR UPDATE OR DELETE ON terms
    FOR EACH STATEMENT EXECUTE FUNCTION gazette_write_lock();
CREATE TRIGGER users_lock BEFORE INSERT OR UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION gazette_write_lock();
CREATE TRIGGER settings_lock BEFORE INSERT OR UPDATE OR DELETE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION gazette_write_lock();
CREATE TRIGGER changes_lock BEFORE INSERT OR UPDATE OR DELETE ON changes
    FOR EACH STATEMENT EXECUTE FUNCTION gazette_write_lock();

CREATE FUNCTION posts_log() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM gazette_log('post', OLD.id);
    ELSE
        IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
            PERFORM gazette_log('post', OLD.id);
        END IF;
        PERFORM gazette_log('post', NEW.id);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER posts_log_i AFTER INSERT ON posts FOR EACH ROW EXECUTE FUNCTION posts_log();
-- Not every column: counters kept on the row must not invalidate pages by themselves.
CREATE TRIGGER posts_log_u AFTER UPDATE OF id, type, status, title, slug, author_id, format, html, excerpt, sticky,
    comment_status, password, parent_id, published_at ON posts FOR EACH ROW EXECUTE FUNCTION posts_log();
CREATE TRIGGER posts_log_d AFTER DELETE ON posts FOR EACH ROW EXECUTE FUNCTION posts_log();

-- A post's categories and tags show on its page and decide the lists it is in.
CREATE FUNCTION post_terms_log() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM gazette_log('post', OLD.post_id);
    ELSE
        PERFORM gazette_log('post', NEW.post_id);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER post_terms_log_i AFTER INSERT ON post_terms FOR EACH ROW EXECUTE FUNCTION post_terms_log();
CREATE TRIGGER post_terms_log_d AFTER DELETE ON post_terms FOR EACH ROW EXECUTE FUNCTION post_terms_log();

CREATE FUNCTION comments_log() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM gazette_log('comments', OLD.post_id);
    ELSE
        IF TG_OP = 'UPDATE' AND OLD.post_id <> NEW.post_id THEN
            PERFORM gazette_log('comments', OLD.post_id);
        END IF;
        PERFORM gazette_log('comments', NEW.post_id);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER comments_log_i AFTER INSERT ON comments FOR EACH ROW
    WHEN (NEW.status = 'approved') EXECUTE FUNCTION comments_log();
CREATE TRIGGER comments_log_u AFTER UPDATE ON comments FOR EACH ROW
    WHEN (OLD.status = 'approved' OR NEW.status = 'approved') EXECUTE FUNCTION comments_log();
CREATE TRIGGER comments_log_d AFTER DELETE ON comments FOR EACH ROW
    WHEN (OLD.status = 'approved') EXECUTE FUNCTION comments_log();

-- A new term shows nowhere until a post carries it (post_terms above); a renamed or deleted one
-- may show on any page (navigation, article pages). So do an author's name and the settings.
CREATE FUNCTION site_log() RETURNS trigger AS $$
BEGIN
    PERFORM gazette_log('site', 0);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER terms_log_u AFTER UPDATE ON terms FOR EACH ROW EXECUTE FUNCTION site_log();
CREATE TRIGGER terms_log_d AFTER DELETE ON terms FOR EACH ROW EXECUTE FUNCTION site_log();
CREATE TRIGGER users_log_u AFTER UPDATE OF login, display_name ON users FOR EACH ROW EXECUTE FUNCTION site_log();
CREATE TRIGGER users_log_d AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION site_log();
CREATE TRIGGER settings_log AFTER INSERT OR UPDATE OR DELETE ON settings FOR EACH ROW EXECUTE FUNCTION site_log();

-- The duplicate-comment rule looks a submission up by name and by email (db_comment_duplicate).
CREATE INDEX comments_email ON comments (email COLLATE nocase, post_id);
