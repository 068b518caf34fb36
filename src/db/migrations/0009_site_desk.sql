-- Running the whole site from the newsroom: authors' biographies and disabled accounts, the old
-- addresses of renamed categories and tags (answered with a 301), the header menu, and what the
-- server keeps for itself (the key that signs device cookies, the address it last listened on).

-- users.bio: shown on the author's archive. users.disabled: the account cannot log in.
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER users_log_bio AFTER UPDATE OF bio ON users BEGIN
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;

-- A slug a term had before it was renamed or merged into another: /category/OLD/ answers 301.
CREATE TABLE term_redirects (
    taxonomy TEXT NOT NULL CHECK (taxonomy IN ('category', 'tag')),
    slug TEXT NOT NULL,
    term_id INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    PRIMARY KEY (taxonomy, slug)
) WITHOUT ROWID;
CREATE INDEX term_redirects_term ON term_redirects (term_id);

-- The header navigation, as arranged in the newsroom (no rows: Home and the categories).
-- kind home: the front page; page: object_id is a page; category: object_id is a term; custom:
-- url. An empty label means the page's or category's own name. parent_id: one level of sub-items.
CREATE TABLE menu_items (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES menu_items (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('home', 'page', 'category', 'custom')),
    object_id INTEGER,
    label TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT ''
);
CREATE INDEX menu_items_order ON menu_items (position, id);
-- Every page shows the menu: a change is a 'site' change, and bumps the content generation.
CREATE TRIGGER menu_items_log_i AFTER INSERT ON menu_items BEGIN
    UPDATE generation SET gen = gen + 1;
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER menu_items_log_u AFTER UPDATE ON menu_items BEGIN
    UPDATE generation SET gen = gen + 1;
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;
CREATE TRIGGER menu_items_log_d AFTER DELETE ON menu_items BEGIN
    UPDATE generation SET gen = gen + 1;
    INSERT INTO changes (kind, id) VALUES ('site', 0);
END;

-- What the server keeps for itself, never shown or set as a setting: 'device_key' signs the
-- device cookies of browsers that logged in before (made by the first login that needs it);
-- 'listen_url' is the address the server last listened on (site_url follows it until set).
CREATE TABLE site_state (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
