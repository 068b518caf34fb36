-- Application passwords (the JSON API's Basic authentication, as WordPress's): a user has any
-- number, each named for the application it was given to, identified by a UUID, stored only as
-- an Argon2id hash. They go with their user.
CREATE TABLE app_passwords (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used INTEGER,
    last_ip TEXT
);
CREATE INDEX app_passwords_user ON app_passwords (user_id, id);
