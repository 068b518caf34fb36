#!/usr/bin/env python3
"""gazette import wxr, end to end: the real binary against fresh data directories.

usage: test_import.py GAZETTE_BINARY   (GAZETTE_TESTDATA names the shared test data)
Checks the figures of testdata/wxr/EXPECTED.md through the command line (category list, tag
list) and the database, the other fixtures' counts, byte-exact text, malformed files refused
whole with line:column, and that a second import adds nothing.
"""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

GAZETTE = sys.argv[1]
DATA = os.path.join(os.environ['GAZETTE_TESTDATA'], 'wxr')
THEME = os.path.join(DATA, 'themeunittestdata.wordpress.xml')
WPI = os.path.join(DATA, 'wordpress-importer')
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(datadir, *args):
    return subprocess.run([GAZETTE, '--data', datadir] + list(args), capture_output=True, text=True)


def import_ok(datadir, path, *extra):
    r = run(datadir, 'import', 'wxr', path, *extra)
    name = os.path.basename(path)
    check(r.returncode == 0, 'import %s exits 0 (got %d: %s)' % (name, r.returncode, r.stderr))
    # The load runs without foreign key enforcement and rebuilds indexes and the search index at
    # its end: what it leaves must pass every check SQLite has.
    con = db(datadir)
    fk = con.execute('PRAGMA foreign_key_check').fetchall()
    check(fk == [], 'import %s leaves no dangling reference: %r' % (name, fk[:5]))
    ok = con.execute('PRAGMA integrity_check').fetchall()
    check(ok == [('ok',)], 'import %s passes the integrity check: %r' % (name, ok[:5]))
    try:
        con.execute("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as e:
        check(False, 'import %s leaves a consistent search index: %s' % (name, e))
    posts, indexed = con.execute("SELECT (SELECT COUNT(*) FROM posts WHERE status = 'published'), "
                                 "(SELECT COUNT(*) FROM posts_fts_docsize)").fetchone()
    check(posts == indexed, 'import %s: the search index holds every published post (%d of %d)' % (name, indexed, posts))
    # The counts the triggers keep, made again at the end of the load, agree with the tables.
    kept = con.execute("SELECT list, key, n FROM post_counts WHERE level = 0 AND n != 0 ORDER BY 1, 2").fetchall()
    want = con.execute(
        "SELECT 0, 0, count(*) FROM posts WHERE status = 'published' AND type = 'post' HAVING count(*) > 0 "
        "UNION ALL SELECT 1, 0, count(*) FROM posts WHERE status = 'published' AND type = 'post' AND sticky = 0 "
        "HAVING count(*) > 0 "
        "UNION ALL SELECT 2, pt.term_id, count(*) FROM post_terms pt JOIN posts p ON p.id = pt.post_id "
        "WHERE p.status = 'published' AND p.type = 'post' GROUP BY pt.term_id "
        "UNION ALL SELECT 3, author_id, count(*) FROM posts WHERE status = 'published' AND type = 'post' "
        "GROUP BY author_id ORDER BY 1, 2").fetchall()
    check(kept == want, 'import %s: kept post counts agree with the posts: %r / %r' % (name, kept[:5], want[:5]))
    # ... and per UTC month, day, hour and minute (gazette_bucket's periods, spelled in plain SQL)
    buckets = ("SELECT %s, CAST(strftime('%%Y', t, 'unixepoch') AS INTEGER) * 12 + "
               "CAST(strftime('%%m', t, 'unixepoch') AS INTEGER) - 1 AS bucket, 1 AS level FROM (%s) UNION ALL "
               "SELECT %s, (t - ((t %% 86400) + 86400) %% 86400) / 86400, 2 FROM (%s) UNION ALL "
               "SELECT %s, (t - ((t %% 3600) + 3600) %% 3600) / 3600, 3 FROM (%s) UNION ALL "
               "SELECT %s, (t - ((t %% 60) + 60) %% 60) / 60, 4 FROM (%s)")
    pub = "SELECT published_at AS t, author_id AS a FROM posts WHERE status = 'published' AND type = 'post'"
    terms = ("SELECT p.published_at AS t, pt.term_id AS k FROM post_terms pt JOIN posts p ON p.id = pt.post_id "
             "WHERE p.status = 'published' AND p.type = 'post'")
    pub_free = "SELECT published_at AS t FROM posts WHERE status = 'published' AND type = 'post' AND sticky = 0"
    parts = [buckets % (('0 AS list, 0 AS key', pub, '0, 0', pub, '0, 0', pub, '0, 0', pub)),
             buckets % (('1 AS list, 0 AS key', pub_free, '1, 0', pub_free, '1, 0', pub_free, '1, 0', pub_free)),
             buckets % (('2 AS list, k AS key', terms, '2, k', terms, '2, k', terms, '2, k', terms)),
             buckets % (('3 AS list, a AS key', pub, '3, a', pub, '3, a', pub, '3, a', pub))]
    want = con.execute("SELECT list, key, level, bucket, count(*) FROM (%s) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
                       % ' UNION ALL '.join(parts)).fetchall()
    kept = con.execute("SELECT list, key, level, bucket, n FROM post_counts WHERE level > 0 AND n != 0 "
                       "ORDER BY 1, 2, 3, 4").fetchall()
    check(kept == want, 'import %s: kept counts per period agree with the posts: %d / %d rows'
          % (name, len(kept), len(want)))
    kept = con.execute("SELECT post_id, approved FROM comment_counts WHERE approved != 0 ORDER BY 1").fetchall()
    want = con.execute("SELECT post_id, count(*) FROM comments WHERE status = 'approved' "
                       "GROUP BY post_id ORDER BY 1").fetchall()
    check(kept == want, 'import %s: kept comment counts agree with the comments' % name)
    con.close()
    return r


def terms(datadir, kind):
    r = run(datadir, kind, 'list', '--format=json')
    check(r.returncode == 0, '%s list exits 0: %s' % (kind, r.stderr))
    return json.loads(r.stdout)


def db(datadir):
    return sqlite3.connect(os.path.join(datadir, 'gazette.db'))


def dump(datadir):
    con = db(datadir)
    lines = list(con.iterdump())
    con.close()
    return lines


def content_dump(datadir):
    """The dump without the content generation and the change log (which any import moves) and in
    a stable order (the import sets the row triggers aside and puts them back)."""
    return sorted(l for l in dump(datadir)
                  if 'INTO "generation"' not in l and 'INTO "changes"' not in l and 'sqlite_sequence' not in l)


def counts(datadir):
    con = db(datadir)
    q = lambda sql: con.execute(sql).fetchall()
    c = {
        'post': dict(q("SELECT status, COUNT(*) FROM posts WHERE type = 'post' GROUP BY status")),
        'page': dict(q("SELECT status, COUNT(*) FROM posts WHERE type = 'page' GROUP BY status")),
        'comments': dict(q("SELECT status, COUNT(*) FROM comments GROUP BY status")),
        'types': dict(q("SELECT type, COUNT(*) FROM comments GROUP BY type")),
        'threaded': q("SELECT COUNT(*) FROM comments WHERE parent_id IS NOT NULL")[0][0],
        'sticky': q("SELECT COUNT(*) FROM posts WHERE sticky")[0][0],
        'password': q("SELECT COUNT(*) FROM posts WHERE password IS NOT NULL AND password != ''")[0][0],
        'page_parents': q("SELECT COUNT(*) FROM posts WHERE type = 'page' AND parent_id IS NOT NULL")[0][0],
        'users': q("SELECT COUNT(*) FROM users")[0][0],
    }
    con.close()
    c['categories'] = len(terms(datadir, 'category'))
    c['tags'] = len(terms(datadir, 'tag'))
    return c


def theme_unit_test(tmp):
    d = os.path.join(tmp, 'theme')
    import_ok(d, THEME)
    c = counts(d)
    check(c['post'] == {'published': 56, 'scheduled': 1, 'draft': 1}, 'posts by status: %r' % c['post'])
    check(c['page'] == {'published': 21}, 'pages by status: %r' % c['page'])
    check(c['categories'] == 68, '68 categories, got %d' % c['categories'])
    check(c['tags'] == 110, '110 tags, got %d' % c['tags'])
    cats = terms(d, 'category')
    check(sum(1 for t in cats if t['parent']) == 10, '10 categories with a parent')
    check(all(set(t) == {'id', 'name', 'slug', 'parent', 'post_count'} for t in cats), 'category json fields')
    check(c['users'] == 2, '2 authors as users, got %d' % c['users'])
    check(c['comments'] == {'approved': 30, 'pending': 3}, 'comments by status: %r' % c['comments'])
    check(c['types'] == {'comment': 29, 'pingback': 2, 'trackback': 2}, 'comment types: %r' % c['types'])
    check(c['threaded'] == 10, '10 threaded replies, got %d' % c['threaded'])
    check(c['sticky'] == 1 and c['password'] == 1, 'sticky 1 / password 1: %d %d' % (c['sticky'], c['password']))
    check(c['page_parents'] == 13, '13 pages with a parent, got %d' % c['page_parents'])

    # The same figures as the command line shows them.
    r = run(d, 'post', 'list', '--format=json')
    check(r.returncode == 0, 'post list exits 0: %s' % r.stderr)
    posts = json.loads(r.stdout)
    by = {}
    for p in posts:
        by[(p['type'], p['status'])] = by.get((p['type'], p['status']), 0) + 1
    check(by == {('post', 'published'): 56, ('post', 'scheduled'): 1, ('post', 'draft'): 1, ('page', 'published'): 21},
          'post list by type and status: %r' % by)
    check(sum(1 for p in posts if p['sticky']) == 1, 'post list: 1 sticky')
    r = run(d, 'comment', 'list', '--format=json')
    check(r.returncode == 0, 'comment list exits 0: %s' % r.stderr)
    comments = json.loads(r.stdout)
    st = {}
    for c in comments:
        st[c['status']] = st.get(c['status'], 0) + 1
    check(len(comments) == 33 and st == {'approved': 30, 'pending': 3}, 'comment list: %d %r' % (len(comments), st))
    check(sum(1 for c in comments if c['parent_id']) == 10, 'comment list: 10 replies')
    parents = {c['id']: c['parent_id'] for c in comments}
    check(max(len(chain(parents, c)) for c in parents) == 10, 'comment list: the 10-deep thread')
    check(sorted(c['type'] for c in comments if c['type'] != 'comment') == ['pingback', 'pingback', 'trackback', 'trackback'],
          'pingbacks and trackbacks kept as such')

    con = db(d)
    row = con.execute("SELECT status, published_at FROM posts WHERE wp_id = 1153").fetchone()
    check(row == ('scheduled', 1893524418), 'post 1153 scheduled at its GMT date 2030-01-01 19:00:18Z: %r' % (row,))
    check(con.execute("SELECT password FROM posts WHERE wp_id = 1168").fetchone() == ('enter',), 'password of 1168')
    check(con.execute("SELECT sticky FROM posts WHERE wp_id = 1241").fetchone() == (1,), '1241 sticky')
    check(con.execute("SELECT pwhash FROM users WHERE pwhash IS NOT NULL AND pwhash != ''").fetchall() == [],
          'authors have no usable password')
    # The 10-deep thread on "Template: Comments": follow the parents up from the deepest reply.
    post = con.execute("SELECT id FROM posts WHERE wp_id = 1148").fetchone()[0]
    parents = dict(con.execute("SELECT id, parent_id FROM comments WHERE post_id = ?", (post,)).fetchall())
    depth = max(len(chain(parents, cid)) for cid in parents)
    check(depth == 10, 'deepest thread on 1148 has 10 levels, got %d' % depth)
    check(con.execute("SELECT COUNT(*) FROM comments WHERE post_id = ?", (post,)).fetchone()[0] == 20,
          '20 comments on 1148')
    # Every post's source is the export's content, byte for byte.
    expected = wxr_items(THEME)
    stored = dict(con.execute("SELECT wp_id, source FROM posts").fetchall())
    bad = [k for k, v in stored.items() if v != expected[k]['content']]
    check(not bad, 'sources equal the export content (differ: %r)' % bad[:5])
    titles = dict(con.execute("SELECT wp_id, title FROM posts").fetchall())
    bad = [k for k, v in titles.items() if v != expected[k]['title']]
    check(not bad, 'titles equal the export (differ: %r)' % bad[:5])
    con.close()

    before = content_dump(d)
    r = import_ok(d, THEME)
    check('79 items already imported' in r.stdout, 'second import reports the items as there: %s' % r.stdout)
    check(content_dump(d) == before, 'a second import changes nothing')


def chain(parents, cid):
    seen = [cid]
    while parents.get(cid):
        cid = parents[cid]
        seen.append(cid)
    return seen


def wxr_items(path):
    """wp:post_id -> title, content. ElementTree joins a CDATA section and the blanks before the
    closing tag; WordPress keeps the CDATA alone, so CDATA content is read from the raw text."""
    root = ET.parse(path).getroot()
    ns = None
    for el in root.iter():
        m = re.match(r'\{(https?://wordpress\.org/export/1\.\d+/)\}', el.tag)
        if m:
            ns = m.group(1)
            break
    with open(path, encoding='utf-8') as f:
        raw = f.read().split('<item>')[1:]
    out = {}
    for item, chunk in zip(root.find('channel').findall('item'), raw):
        m = re.search(r'<content:encoded>\s*<!\[CDATA\[(.*?)\]\]>\s*</content:encoded>', chunk, re.S)
        if m:
            content = m.group(1)
        else:
            el = item.find('{http://purl.org/rss/1.0/modules/content/}encoded')
            content = (el.text or '') if el is not None else ''
        out[int(item.find('{%s}post_id' % ns).text)] = {
            'title': (item.find('title').text or '') if item.find('title') is not None else '',
            'content': content,
        }
    return out


SMALL = [
    # file, posts, pages, statuses, categories, tags, comments (approved)
    ('small-export.xml', 6, 5, {'published': 9, 'draft': 1, 'private': 1}, 30, 3, 1, 1),
    ('valid-wxr-1.1.xml', 1, 1, {'published': 2}, 1, 1, 1, 1),
    ('slashes.xml', 1, 0, {'published': 1}, 1, 1, 1, 1),
    ('wxr-utf-8-challenges.xml', 1, 0, {'published': 1}, 0, 0, 0, 0),
    ('test-serialized-comment-meta.xml', 1, 0, {'draft': 1}, 0, 0, 1, 1),
]


def small_fixtures(tmp):
    for name, posts, pages, statuses, cats, tags, comments, approved in SMALL:
        d = os.path.join(tmp, name)
        import_ok(d, os.path.join(WPI, name))
        c = counts(d)
        got_posts = sum(c['post'].values())
        got_pages = sum(c['page'].values())
        merged = {}
        for k in ('post', 'page'):
            for s, n in c[k].items():
                merged[s] = merged.get(s, 0) + n
        check((got_posts, got_pages) == (posts, pages), '%s posts/pages %d/%d' % (name, got_posts, got_pages))
        check(merged == statuses, '%s statuses %r' % (name, merged))
        check((c['categories'], c['tags']) == (cats, tags), '%s cats/tags %d/%d' % (name, c['categories'], c['tags']))
        got_c = sum(c['comments'].values())
        check((got_c, c['comments'].get('approved', 0)) == (comments, approved), '%s comments %r' % (name, c['comments']))


def byte_exact(tmp):
    d = os.path.join(tmp, 'slashes-exact')
    import_ok(d, os.path.join(WPI, 'slashes.xml'))
    con = db(d)
    check(con.execute("SELECT source FROM posts").fetchone()[0] == 'Slashes aren\\\'t \\"cool\\"', 'slashes content')
    check(con.execute("SELECT body FROM comments").fetchone()[0] == '\\o/ \u00af\\_(\u30c4)_/\u00af', 'slashes comment')
    names = sorted(r[0] for r in con.execute("SELECT name FROM terms"))
    check(names == ['a \\"great\\" category', "foo\\'bar"], 'slashes term names %r' % names)
    con.close()

    d = os.path.join(tmp, 'utf8-exact')
    path = os.path.join(WPI, 'wxr-utf-8-challenges.xml')
    import_ok(d, path)
    expected = wxr_items(path)[10]
    con = db(d)
    title, source, excerpt = con.execute("SELECT title, source, excerpt FROM posts").fetchone()
    check(title == expected['title'], 'utf-8 title byte for byte')
    check(source == expected['content'], 'utf-8 content byte for byte')
    root = ET.parse(path).getroot()
    ex = root.find('channel/item/{http://wordpress.org/export/1.2/excerpt/}encoded').text
    check(excerpt == ex, 'utf-8 excerpt byte for byte')
    name = con.execute("SELECT display_name FROM users").fetchone()[0]
    want = root.find('channel/{http://wordpress.org/export/1.2/}author/{http://wordpress.org/export/1.2/}author_display_name').text
    check(name == want, 'utf-8 author display name byte for byte')
    con.close()


def malformed(tmp):
    d = os.path.join(tmp, 'malformed')
    import_ok(d, os.path.join(WPI, 'slashes.xml'))
    before = dump(d)
    for name, line in (('crazy-cdata.xml', 18), ('malformed.xml', 90), ('malformed-simple.xml', 14)):
        r = run(d, 'import', 'wxr', os.path.join(WPI, name))
        check(r.returncode == 1, '%s exits 1 (got %d)' % (name, r.returncode))
        m = re.search(re.escape(name) + r':(\d+):(\d+): (\S.*)', r.stderr)
        check(m is not None and int(m.group(1)) == line, '%s: line %d in %r' % (name, line, r.stderr))
        check(dump(d) == before, '%s leaves the database exactly as before' % name)
    r = run(d, 'import', 'wxr', os.path.join(tmp, 'missing.xml'))
    check(r.returncode == 1 and 'missing.xml' in r.stderr, 'a missing file: exit 1 with its name')
    r = run(d, 'import', 'nonsense')
    check(r.returncode == 2, 'usage error: exit 2')


def snapshot(datadir):
    """Everything the site holds, keyed by what survives a move (slugs, not ids)."""
    con = db(datadir)
    q = lambda sql: con.execute(sql).fetchall()
    snap = {
        'posts': sorted(q("SELECT p.type, p.slug, p.status, p.title, p.source, p.html, p.excerpt, p.sticky, "
                          "p.comment_status, IFNULL(p.password, ''), p.published_at, IFNULL(pp.slug, ''), u.login "
                          "FROM posts p LEFT JOIN posts pp ON pp.id = p.parent_id JOIN users u ON u.id = p.author_id")),
        'terms': sorted(q("SELECT t.taxonomy, t.slug, t.name, IFNULL(tp.slug, '') FROM terms t "
                          "LEFT JOIN terms tp ON tp.id = t.parent_id")),
        'post_terms': sorted(q("SELECT p.type, p.slug, t.taxonomy, t.slug FROM post_terms x "
                               "JOIN posts p ON p.id = x.post_id JOIN terms t ON t.id = x.term_id")),
        'comments': sorted(q("SELECT p.slug, c.status, c.type, c.author, c.email, c.url, c.ip, c.created_at, c.body, "
                             "IFNULL(cp.body, ''), IFNULL(cp.created_at, 0) FROM comments c "
                             "JOIN posts p ON p.id = c.post_id LEFT JOIN comments cp ON cp.id = c.parent_id")),
        'users': sorted(q("SELECT login, display_name, email FROM users")),
    }
    con.close()
    return snap


def round_trip(tmp):
    for src in (THEME, os.path.join(WPI, 'wxr-utf-8-challenges.xml'), os.path.join(WPI, 'slashes.xml'),
                os.path.join(WPI, 'small-export.xml')):
        name = os.path.basename(src)
        a, b = os.path.join(tmp, 'rt-a-' + name), os.path.join(tmp, 'rt-b-' + name)
        out = os.path.join(tmp, 'rt-' + name)
        import_ok(a, src)
        r = run(a, 'export', 'wxr', out)
        check(r.returncode == 0, 'export %s exits 0: %s' % (name, r.stderr))
        import_ok(b, out)
        sa, sb = snapshot(a), snapshot(b)
        for k in sa:
            check(sa[k] == sb[k], 'round trip of %s keeps %s (%d vs %d rows; first difference %r)' % (
                name, k, len(sa[k]), len(sb[k]), next((x for x in zip(sa[k], sb[k]) if x[0] != x[1]), None)))
        check(counts(a) == counts(b), 'round trip of %s keeps the counts' % name)
        # The export is what WordPress writes: one rss/channel, WXR 1.2, the wp namespace over http.
        root = ET.parse(out).getroot()
        check(root.tag == 'rss' and root.find('channel/{http://wordpress.org/export/1.2/}wxr_version').text == '1.2',
              'the export is WXR 1.2')
    r = run(os.path.join(tmp, 'rt-a-slashes.xml'), 'export', 'wxr')
    check(r.returncode == 0 and r.stdout.startswith('<?xml'), 'export to standard output')


def old_links(tmp):
    import http.client
    import signal
    d = os.path.join(tmp, 'links')
    import_ok(d, THEME, '--old-permalinks', '/%year%/%monthnum%/%postname%/')
    srv = subprocess.Popen([GAZETTE, '--data', d, 'serve', '--listen', '127.0.0.1:0', '--threads', '1'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        m = re.search(r'listening on http://([\d.]+):(\d+)/', line)
        check(m is not None, 'server starts: %r' % line)
        if m is None:
            return
        host, port = m.group(1), int(m.group(2))

        def get(path):
            c = http.client.HTTPConnection(host, port, timeout=10)
            c.request('GET', path)
            r = c.getresponse()
            r.read()
            c.close()
            return r.status, r.getheader('Location') or ''

        con = db(d)
        sticky_path = '/2012/01/07/template-sticky/'
        cases = [
            ('/?p=1241', sticky_path),                                  # a post by its WordPress id
            ('/?page_id=2', '/about/'),                                  # a page
            ('/?cat=12', '/category/6-1/'),                              # a category by its WordPress id
            ('/?tag=wordpress', '/tag/wordpress/'),                      # a tag by slug
            ('/?author=1', '/author/themedemos/'),                       # no author ids in this export: own id
            ('/2012/01/template-sticky/', sticky_path),                   # the --old-permalinks structure
            ('/wp-6-1-font-size-scale/', '/2023/01/16/wp-6-1-font-size-scale/'),  # the items' own links
        ]
        con.close()
        for path, want in cases:
            status, loc = get(path)
            check(status == 301 and loc.endswith(want), '%s -> 301 %s (got %d %s)' % (path, want, status, loc))
        status, _ = get(sticky_path)
        check(status == 200, 'the new address answers 200 (got %d)' % status)
    finally:
        srv.send_signal(signal.SIGTERM)
        rc = srv.wait(timeout=30)
        err = srv.stderr.read()
        check(rc == 0, 'the server stops cleanly (exit %d): %s' % (rc, err[-2000:]))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for t in (theme_unit_test, small_fixtures, byte_exact, malformed, round_trip, old_links):
            t(tmp)
    if failures:
        print('%d check(s) failed' % len(failures))
        return 1
    print('all import checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
