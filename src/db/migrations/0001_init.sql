-- The first schema: users, posts and pages, categories and tags, comments, settings, a
-- content generation counter for caches, and a full-text index of posts for search.
-- Times are INTEGER seconds since the epoch, UTC. Enumerations are stored by name.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('administrator', 'editor', 'author', 'contributor')),
    pwhash TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('post', 'page')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'scheduled', 'published', 'private', 'trash')),
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users (id),
    format TEXT NOT NULL CHECK (format IN ('markdown', 'html')),
    source TEXT NOT NULL DEFAULT '',
    html TEXT NOT NULL DEFAULT '',
    excerpt TEXT NOT NULL DEFAULT '',
    sticky INTEGER NOT NULL DEFAULT 0,
    comment_status TEXT NOT NULL DEFAULT 'open' CHECK (comment_status IN ('open', 'closed')),
    password TEXT,
    parent_id INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    published_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    wp_id INTEGER,
    UNIQUE (type, slug)
);
CREATE INDEX posts_public ON posts (type, status, published_at, id);
CREATE INDEX posts_author ON posts (author_id);
CREATE INDEX posts_wp_id ON posts (wp_id) WHERE wp_id IS NOT NULL;

CREATE TABLE terms (
    id INTEGER PRIMARY KEY,
    taxonomy TEXT NOT NULL CHECK (taxonomy IN ('category', 'tag')),
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    parent_id INTEGER REFERENCES terms (id) ON DELETE SET NULL,
    UNIQUE (taxonomy, slug)
);

CREATE TABLE post_terms (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    term_id INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, term_id)
) WITHOUT ROWID;
CREATE INDEX post_terms_term ON post_terms (term_id, post_id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES comments (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
    type TEXT NOT NULL DEFAULT 'comment' CHECK (type IN ('comment', 'pingback', 'trackback')),
    author TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX comments_post ON comments (post_id, status, created_at, id);
CREATE INDEX comments_ip ON comments (ip, created_at);
CREATE INDEX comments_author ON comments (author, email COLLATE NOCASE);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row; every write to the content tables bumps gen, so a page cache in any thread or
-- process can tell that something changed (db_generation).
CREATE TABLE generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    gen INTEGER NOT NULL
);
INSERT INTO generation (id, gen) VALUES (1, 1);

CREATE TRIGGER users_gen_i AFTER INSERT ON users BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER users_gen_u AFTER UPDATE ON users BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER users_gen_d AFTER DELETE ON users BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER posts_gen_i AFTER INSERT ON posts BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER posts_gen_u AFTER UPDATE ON posts BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER posts_gen_d AFTER DELETE ON posts BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER terms_gen_i AFTER INSERT ON terms BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER terms_gen_u AFTER UPDATE ON terms BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER terms_gen_d AFTER DELETE ON terms BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER post_terms_gen_i AFTER INSERT ON post_terms BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER post_terms_gen_d AFTER DELETE ON post_terms BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER comments_gen_i AFTER INSERT ON comments BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER comments_gen_u AFTER UPDATE ON comments BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER comments_gen_d AFTER DELETE ON comments BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER settings_gen_i AFTER INSERT ON settings BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER settings_gen_u AFTER UPDATE ON settings BEGIN UPDATE generation SET gen = gen + 1; END;
CREATE TRIGGER settings_gen_d AFTER DELETE ON settings BEGIN UPDATE generation SET gen = gen + 1; END;

-- Full-text index of posts (for search), kept in step by triggers.
CREATE VIRTUAL TABLE posts_fts USING fts5 (title, excerpt, source, content = 'posts', content_rowid = 'id');
CREATE TRIGGER posts_fts_i AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, title, excerpt, source) VALUES (new.id, new.title, new.excerpt, new.source);
END;
CREATE TRIGGER posts_fts_d AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, excerpt, source) VALUES ('delete', old.id, old.title, old.excerpt, old.source);
END;
CREATE TRIGGER posts_fts_u AFTER UPDATE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, excerpt, source) VALUES ('delete', old.id, old.title, old.excerpt, old.source);
    INSERT INTO posts_fts (rowid, title, excerpt, source) VALUES (new.id, new.title, new.excerpt, new.source);
END;
