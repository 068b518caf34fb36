-- The duplicate-comment rule (db_comment_duplicate) looks a submission up by name on its post:
-- with the name alone in the index, it read every comment of the post (the planner took the
-- post's index instead), so that each new comment on a long thread cost as much as the thread.
-- Name, then post, then email: one lookup for the rule, and the name-and-email lookup of the
-- moderation rules (db_comment_author_known) still reads the index alone.
DROP INDEX comments_author;
CREATE INDEX comments_author ON comments (author, post_id, email COLLATE NOCASE);
