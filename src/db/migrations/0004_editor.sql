-- The newsroom's editor keeps every post as it was written.
-- posts.as_written: an HTML post shown exactly as written, without WordPress's automatic
-- paragraphs. HTML posts made before HTML bodies got those paragraphs (from the command line:
-- not imported, and their HTML is their source) keep showing as they always did.
-- revisions: the format each was written in, and its kind: 'original' is the post as it was
-- before its first edit in the newsroom, 'autosave' the editor's periodic copy of a draft.
ALTER TABLE posts ADD COLUMN as_written INTEGER NOT NULL DEFAULT 0;
UPDATE posts SET as_written = 1 WHERE format = 'html' AND wp_id IS NULL AND html = source;

ALTER TABLE revisions ADD COLUMN format TEXT NOT NULL DEFAULT 'markdown' CHECK (format IN ('markdown', 'html'));
ALTER TABLE revisions ADD COLUMN as_written INTEGER NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN kind TEXT NOT NULL DEFAULT 'save' CHECK (kind IN ('original', 'save', 'autosave'));

-- Excerpts cut short no longer end in a doubled mark (".…"): the ellipsis alone says it.
UPDATE posts SET excerpt = rtrim(substr(excerpt, 1, length(excerpt) - 1), '.,;:!?…') || '…'
    WHERE excerpt GLOB '*[.,;:!?…]…';
