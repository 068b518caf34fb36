-- The newsroom: login sessions (only a hash of each token is kept), failed logins for rate
-- limiting, and the revisions of posts. None of these tables bumps the content generation:
-- logging in or saving a revision changes nothing a reader sees (saving the post itself does).

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One row per failed login; key is 'ip:ADDRESS' or 'login:NAME'.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX revisions_post ON revisions (post_id, id);

-- The publishing timer asks every second for the next scheduled post.
CREATE INDEX posts_scheduled ON posts (status, published_at);
