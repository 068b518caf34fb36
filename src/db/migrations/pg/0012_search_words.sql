-- SQLite's list of the words of its search index (search_words): PostgreSQL's GIN index finds
-- the words that start with a prefix by itself, at the same cost whatever the words around it.
-- Nothing to do here; the number is kept so that both schemas count the same versions.
SELECT 1;
