-- The newsroom's editor, as src/db/migrations/0004_editor.sql: posts.as_written (an HTML post
-- shown exactly as written, without WordPress's automatic paragraphs), and the format, kind and
-- as_written of revisions. (SQLite's migration also mends rows written by earlier versions; a
-- PostgreSQL database never had such rows.)
ALTER TABLE posts ADD COLUMN as_written INTEGER NOT NULL DEFAULT 0;

ALTER TABLE revisions ADD COLUMN format TEXT NOT NULL DEFAULT 'markdown' CHECK (format IN ('markdown', 'html'));
ALTER TABLE revisions ADD COLUMN as_written INTEGER NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN kind TEXT NOT NULL DEFAULT 'save' CHECK (kind IN ('original', 'save', 'autosave'));
