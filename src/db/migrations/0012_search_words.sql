-- Search: every word the search index holds, for the prefix that search_posts tries when few
-- posts hold a whole word. FTS5 finds the words that start with a prefix by reading on from
-- where the prefix would stand, through the postings of the word before it; for a prefix that no
-- word starts with, behind a word that every post holds, that read grows with the archive (1.3 ms
-- at 1,000,000 posts). With this list, one index lookup says first whether any word starts so.
-- A word stays listed when the last post that held it changes (the prefix is then tried for
-- nothing, as before); a bulk load makes the list again (sqlite_bulk.c).
CREATE TABLE search_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, posts_fts, row);
INSERT INTO search_words (word) SELECT term FROM temp.search_vocab;
DROP TABLE temp.search_vocab;

CREATE TRIGGER posts_words_i AFTER INSERT ON posts WHEN new.status = 'published' BEGIN
    INSERT OR IGNORE INTO search_words (word)
    SELECT value FROM json_each(gazette_words(new.title, new.excerpt, gazette_text(new.html)));
END;
CREATE TRIGGER posts_words_u AFTER UPDATE OF status, title, excerpt, html ON posts
WHEN new.status = 'published' AND (old.status IS NOT new.status OR old.title IS NOT new.title
    OR old.excerpt IS NOT new.excerpt OR old.html IS NOT new.html) BEGIN
    INSERT OR IGNORE INTO search_words (word)
    SELECT value FROM json_each(gazette_words(new.title, new.excerpt, gazette_text(new.html)));
END;
