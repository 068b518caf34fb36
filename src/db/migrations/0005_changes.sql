-- The change log: what each committed write changed, in commit order, so that a page cache in
-- any thread or process can drop only the pages that show it (docs/storage.md, "The change
-- log"). Triggers append to it in the writer's transaction, whoever the writer is (the server,
-- the command line, an import, a hand-written SQL statement).
--   kind 'post'     id = post: the post, its place in lists and feeds, its neighbours' links
--   kind 'comments' id = post: the approved comments of the post (its page, count, comment feeds)
--   kind 'site'     id = 0: settings, a term renamed or deleted, an author renamed: every page
-- Pending, spam and trashed comments change no public page and are not logged. The server
-- keeps the newest rows only; a reader that fell behind the oldest kept row starts afresh.
-- Also an index for the duplicate-comment rule (at the end).

CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('post', 'comments', 'site')),
    id INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER posts_log_i AFTER INSERT ON posts BEGIN
    INSERT INTO changes (kind, id) VALUES ('post', new.id);
END;
-- Not every column: counters kept on the row must not invalidate pages by themselves.
CREATE TRIGGER posts_log_u AFTER UPDATE OF id, type, status, title, slug, author_id, format, html, excerpt, sticky,
    comment_status, password, parent_id, published_at ON posts BEGIN
    INSERT INTO changes (kind, id) SELECT 'post', old.id WHERE old.id <> new.id;
    INSERT INTO changes (kind, id) VALUES ('post', new.id);
END;
CREATE TRIGGER posts_log_d AFTER DELETE ON posts BEGIN
    INSERT INTO changes (kind, id) VALUES ('post', old.id);
END;

-- A post's categories and tags show on its page and decide the lists it is in.
CREATE TRIGGER post_terms_log_i AFTER INSERT ON post_terms BEGIN
    INSERT INTO changes (kind, id) VALUES ('post', new.post_id);
END;
CREATE TRIGGER post_terms_log_d AFTER DELETE ON post_terms BEGIN
    INSERT INTO changes (kind, id) VALUES ('post', old.post_id);
END;

CREATE TRIGGER comments_log_i AFTER INSERT ON comments WHEN new.status = 'approved' BEGIN
    INSERT INTO changes (kind, id) VALUES ('comments', new.post_id);
END;
CREATE TRIGGER comments_log_u AFTER UPDATE ON comments WHEN old.status = 'approved' OR new.status = 'approved' BEGIN
    INSERT INTO changes (kind, id) SELECT 'comments', old.post_id WHERE old.post_id <> new.post_id;
    INSERT INTO changes (kind, id) VALUES ('comments', new.post_id);
END;
CREATE TRIGGER comments_log_d AFTER DELETE ON comments WHEN old.status = 'approved' BEGIN
    INSERT INTO changes (kind, id) VALUES ('comments', old.post_id);
END;

-- A new term shows nowhere until a post carries it (post_terms above); a renamed or deleted one
-- may show on any page (navigation, article pages).
CREATE TRIGGER terms_log_u AFTER UPDATE ON terms BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER terms_log_d AFTER DELETE ON terms BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER users_log_u AFTER UPDATE OF login, display_name ON users BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER users_log_d AFTER DELETE ON users BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER settings_log_i AFTER INSERT ON settings BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER settings_log_u AFTER UPDATE ON settings BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER settings_log_d AFTER DELETE ON settings BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;

-- The duplicate-comment rule looks a submission up by name and by email (db_comment_duplicate)
-- instead of reading every comment of the post: the writer runs it for every comment.
CREATE INDEX comments_email ON comments (email COLLATE NOCASE, post_id);
