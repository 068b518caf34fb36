#!/usr/bin/env python3
"""The archive-scale benchmark behind bench/scale.sh (which documents the environment).

For each site size: the site is made once (gen.py piped into `gazette import wxr`) and kept; the
server runs with one thread; every page type is asked for SCALE_REQUESTS times at addresses that
differ (a query string of its own, so the page cache never answers), after a warm-up; the median
and 99th percentile of the answer times are kept, and under valgrind the instructions the request
handler runs. The database file is read once first (a server's operating system keeps it in its
page cache). Ratios are to the smallest site, in the same run.
"""
import glob
import hashlib
import http.client
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = sys.argv[1] if len(sys.argv) > 1 else 'build'
BIN = os.path.abspath(os.path.join(BUILD, 'gazette'))
DIR = os.environ.get('SCALE_BENCH_DIR', '/tmp/gazette-scale-bench')
SIZES = [int(x) for x in os.environ.get('SCALE_SIZES', '1000 100000 1000000').split()]
REQUESTS = int(os.environ.get('SCALE_REQUESTS', '200'))
CALLGRIND = os.environ.get('SCALE_CALLGRIND', '1') != '0'
CG_REQUESTS = 10      # requests a page type under valgrind
COMMENTS = 3          # comments a post
LONG_THREAD = 2000    # comments on the first post
PER_PAGE = 10         # posts_per_page (the default)
WORDS = ['council', 'library', 'hall', 'budget', 'residents', 'tuesday', 'meeting', 'officials', 'vote', 'month']
# Words no post holds, each sorting right after a word that every post holds: a search tries the
# last word as a prefix when few posts hold it, and a prefix is looked for after that word.
ABSENT = ['councillors', 'meetings', 'voters', 'monthly', 'budgetary', 'tuesdays']

random.seed(20261102)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def schema_key():
    """Sites are made again when the schema (the migrations) or the generator changes."""
    h = hashlib.sha1()
    for p in sorted(glob.glob(os.path.join(ROOT, 'src', 'db', 'migrations', '*.sql'))) + \
            [os.path.join(ROOT, 'bench', 'wxr', 'gen.py')]:
        with open(p, 'rb') as f:
            h.update(f.read())
    return h.hexdigest()[:10]


def gazette(data, *args, stdin=None):
    r = subprocess.run([BIN, '--data', data] + [str(a) for a in args], input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit('gazette %s: %s' % (' '.join(map(str, args)), r.stderr))
    return r.stdout


def make_site(n):
    """The data directory of the n-post site, made when missing; and the seconds the import took."""
    top = os.path.join(DIR, 'site-%d-%s' % (n, schema_key()))
    data = os.path.join(top, 'data')
    done = os.path.join(top, 'complete')
    if not os.path.exists(done):
        log('making the %d-post site in %s ...' % (n, top))
        subprocess.run(['rm', '-rf', top], check=True)
        os.makedirs(top)
        t0 = time.time()
        gen = subprocess.Popen([sys.executable, os.path.join(ROOT, 'bench', 'wxr', 'gen.py'), str(n), str(COMMENTS),
                                str(LONG_THREAD)], stdout=subprocess.PIPE)
        imp = subprocess.run([BIN, '--data', data, 'import', 'wxr', '/dev/stdin', '--quiet'], stdin=gen.stdout)
        gen.stdout.close()
        if gen.wait() != 0 or imp.returncode != 0:
            sys.exit('bench/scale: making the %d-post site failed' % n)
        took = time.time() - t0
        gazette(data, 'post', 'add', '--title', 'About us', '--slug', 'about', '--type', 'page',
                '--date', '2020-01-01T00:00:00Z', stdin='Who we are.\n')
        with open(done, 'w') as f:
            f.write('%.1f\n' % took)
    with open(done) as f:
        return data, float(f.read().strip() or 0)


class Server:
    def __init__(self, data, valgrind=False):
        cmd = [BIN, '--data', data, 'serve', '--listen', '127.0.0.1:0', '--threads', '1']
        if valgrind:
            cmd = ['valgrind', '--tool=callgrind', '--toggle-collect=handle', '--toggle-collect=search_run',
                   '--toggle-collect=search_done', '--callgrind-out-file=%s/cg.%%p' % DIR,
                   '--dump-instr=no'] + cmd
        self.t0 = time.time()
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        m = re.search(r'listening on http://([^:]+):(\d+)/', line)
        if not m:
            self.p.kill()
            sys.exit('bench/scale: the server did not start: %s %s' % (line, self.p.stderr.read()))
        self.host, self.port = m.group(1), int(m.group(2))
        self.conn = None

    def get(self, path):
        """(status, seconds) of one GET on a kept-alive connection."""
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
                t = time.perf_counter()
                self.conn.request('GET', path)
                r = self.conn.getresponse()
                r.read()
                return r.status, time.perf_counter() - t
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise
        return 0, 0

    def rss_kib(self):
        with open('/proc/%d/status' % self.p.pid) as f:
            return int(re.search(r'VmRSS:\s+(\d+)', f.read()).group(1))

    def stop(self):
        if self.conn:
            self.conn.close()
        self.p.terminate()
        self.p.wait(timeout=120)


def page_types(data, n):
    """{name: function(i) -> a fresh address} for every public page type of the site."""
    con = sqlite3.connect('file:%s/gazette.db?mode=ro' % data, uri=True)
    q = lambda sql, *a: con.execute(sql, a).fetchall()
    pages = lambda count: max(1, (count + PER_PAGE - 1) // PER_PAGE)
    total = q('SELECT n FROM post_counts WHERE list = 0 AND key = 0 AND level = 0')[0][0]
    terms = {slug: c for slug, c in q("SELECT t.slug, c.n FROM terms t JOIN post_counts c ON c.list = 2 AND "
                                      "c.key = t.id AND c.level = 0 WHERE c.n > 0")}
    cats = [s for s in terms if s.startswith('section-')]
    tags = [s for s in terms if s.startswith('topic-')]
    authors = {login: c for login, c in q("SELECT u.login, c.n FROM users u JOIN post_counts c ON c.list = 3 AND "
                                          "c.key = u.id AND c.level = 0 WHERE c.n > 0")}
    days = [b for (b,) in q('SELECT bucket FROM post_counts WHERE list = 0 AND key = 0 AND level = 2 AND n > 0')]
    months = [b for (b,) in q('SELECT bucket FROM post_counts WHERE list = 0 AND key = 0 AND level = 1 AND n > 0')]
    years = sorted({m // 12 for m in months})
    year_count = {y: sum(c for (b, c) in q('SELECT bucket, n FROM post_counts WHERE list = 0 AND key = 0 AND '
                                            'level = 1') if b // 12 == y) for y in years}
    max_id = q('SELECT max(id) FROM posts')[0][0]
    long_path = q("SELECT strftime('/%Y/%m/%d/', published_at, 'unixepoch') || slug || '/' FROM posts "
                  "WHERE slug = 'council-story-1'")[0][0]
    long_top = q("SELECT count(*) FROM comments WHERE post_id = (SELECT id FROM posts WHERE slug = "
                 "'council-story-1') AND status = 'approved' AND (parent_id IS NULL OR parent_id NOT IN (SELECT id "
                 "FROM comments WHERE status = 'approved'))")[0][0]
    long_pages = max(1, (long_top + 49) // 50)
    per_file = min(10000, total) / 1000

    articles = []
    while len(articles) < 2000:
        r = q("SELECT strftime('/%Y/%m/%d/', published_at, 'unixepoch') || slug || '/' FROM posts WHERE id = ? "
              "AND status = 'published' AND type = 'post'", random.randint(1, max_id))
        articles += [r[0][0]] if r else []
    article = lambda: random.choice(articles)

    def deep(base, count):
        last = pages(count)
        k = random.randint(max(1, last // 2), last)
        return base if k == 1 else '%spage/%d/' % (base, k)

    def day_path(b):
        t = time.gmtime(b * 86400)
        return '/%04d/%02d/%02d/' % (t.tm_year, t.tm_mon, t.tm_mday)

    rc = random.choice
    types = [
        ('home', lambda: '/'),
        ('home, deep (/page/N/, last half)', lambda: deep('/', total)),
        ('category', lambda: '/category/%s/' % rc(cats)),
        ('category, deep', lambda: (lambda s: deep('/category/%s/' % s, terms[s]))(rc(cats))),
        ('tag', lambda: '/tag/%s/' % rc(tags)),
        ('tag, deep', lambda: (lambda s: deep('/tag/%s/' % s, terms[s]))(rc(tags))),
        ('author', lambda: '/author/%s/' % rc(list(authors))),
        ('author, deep', lambda: (lambda a: deep('/author/%s/' % a, authors[a]))(rc(list(authors)))),
        ('year', lambda: '/%d/' % rc(years)),
        ('year, deep', lambda: (lambda y: deep('/%d/' % y, year_count[y]))(rc(years))),
        ('month', lambda: (lambda m: '/%d/%02d/' % (m // 12, m % 12 + 1))(rc(months))),
        ('day', lambda: day_path(rc(days))),
        ('article', article),
        ('article, %d comments' % LONG_THREAD, lambda: long_path),
        ('its comment-page-N/', lambda: '%scomment-page-%d/' % (long_path, random.randint(1, long_pages))),
        ('static page', lambda: '/about/'),
        ('feed', lambda: '/feed/'),
        ('category feed', lambda: '/category/%s/feed/' % rc(cats)),
        ('tag feed', lambda: '/tag/%s/feed/' % rc(tags)),
        ('author feed', lambda: '/author/%s/feed/' % rc(list(authors))),
        ('comments feed', lambda: '/comments/feed/'),
        ("an article's comments feed", lambda: article() + 'feed/'),
        ('search, a word every post has', lambda: '/?s=%s' % rc(WORDS)),
        ('search, two words', lambda: '/?s=%s+%s' % (rc(WORDS), rc(WORDS))),
        ('search, a rare word', lambda: '/?s=%d' % random.randint(1, n)),
        ('search, a word no post holds', lambda: '/?s=%s' % rc(ABSENT)),
        ('sitemap index', lambda: '/sitemap.xml'),
        # A posts file lists up to 10,000 posts: the 1,000-post site's one file holds 1,000. Its
        # cost is given per 1,000 URLs listed, the figure that must not grow with the archive;
        # the deep file is a full one.
        ('sitemap, first posts file, per 1,000 URLs', lambda: '/sitemap-posts-1.xml', per_file),
        ('sitemap, a deep posts file, per 1,000 URLs', lambda: '/sitemap-posts-%d.xml' % random.randint(
            max(1, (total // 10000) // 2), max(1, total // 10000)), per_file),
        ('sitemap, tags file', lambda: '/sitemap-tags-1.xml'),
        ('news sitemap', lambda: '/sitemap-news.xml'),
    ]
    con.close()
    return [t if len(t) == 3 else t + (1,) for t in types], total


def fresh(path, i):
    """The address with a query string of its own: the page cache never answers it."""
    return '%s%sb=%d' % (path, '&' if '?' in path else '?', i)


def time_pages(srv, types):
    out = {}
    i = 0
    for name, make, per in types:
        for _ in range(max(5, REQUESTS // 10)):  # warm-up: other addresses of the same type
            i += 1
            srv.get(fresh(make(), i))
        times, bad = [], 0
        for _ in range(REQUESTS):
            i += 1
            p = fresh(make(), i)
            st, dt = srv.get(p)
            if st not in (200, 404):
                bad += 1
            times.append(dt * 1000 / per)
        times.sort()
        out[name] = (statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], bad)
    return out


def count_instructions(data, types):
    """Instructions the request handler runs, a page of each type (median of CG_REQUESTS)."""
    gazette(data, 'setting', 'set', 'request_budget_ms', '600000')  # valgrind is 50 times slower
    srv = Server(data, valgrind=True)
    out = {}
    try:
        i = 10 ** 6
        for name, make, per in types:
            srv.get(fresh(make(), i))  # warm-up
            irs = []
            for _ in range(CG_REQUESTS):
                i += 1
                path = fresh(make(), i)
                subprocess.run(['callgrind_control', '-z', str(srv.p.pid)], capture_output=True)
                srv.get(path)
                before = set(glob.glob('%s/cg.%d*' % (DIR, srv.p.pid)))
                subprocess.run(['callgrind_control', '-d', str(srv.p.pid)], capture_output=True)
                new = sorted(set(glob.glob('%s/cg.%d*' % (DIR, srv.p.pid))) - before)
                ir = 0
                for f in new:
                    with open(f) as fh:
                        m = re.search(r'^(?:summary|totals): (\d+)', fh.read(), re.M)
                        ir = max(ir, int(m.group(1)) if m else 0)
                    os.remove(f)
                irs.append(ir)
            out[name] = statistics.median(irs) / per
    finally:
        srv.stop()
        for f in glob.glob('%s/cg.%d*' % (DIR, srv.p.pid)):
            os.remove(f)
        gazette(data, 'setting', 'set', 'request_budget_ms', '1000')
    return out


def warm(data):
    """Reads the database file once, as a running server's operating system would hold it in its
    page cache (on a slow disk the first reads of a large site are otherwise what is measured)."""
    with open(os.path.join(data, 'gazette.db'), 'rb') as f:
        while f.read(1 << 24):
            pass


def startup(data):
    """Seconds from starting the server to its first answered page (median of 3), and its RSS then."""
    runs, rss = [], 0
    for _ in range(3):
        t0 = time.time()
        srv = Server(data)
        while True:
            try:
                st, _ = srv.get('/')
                if st == 200:
                    break
            except OSError:
                pass
            time.sleep(0.005)
        runs.append(time.time() - t0)
        time.sleep(1)
        rss = max(rss, srv.rss_kib())
        srv.stop()
    return statistics.median(runs), rss / 1024


def hold(data, total):
    """The worst requests a reader can send, in flight all the time on other connections, while a
    light page is asked for: its median and p99 (ms) without and with them, and their answers."""
    worst = ['/?s=coun*+lib*+resi*+tues*+budg*+even*+mee*+hal*', '/?s=%22council+library%22+%22hall+budget%22',
             '/?s=%22the+library%22+%22the+budget%22+%22council+tuesday%22', '/?s=c*', '/?s=counc',
             '/page/%d/' % max(1, (total + PER_PAGE - 1) // PER_PAGE), '/author/writer0/page/30000/',
             '/page/%d/?s=council' % 100, '/2015/page/5000/']
    srv = Server(data)
    light = lambda i: srv.get(fresh('/about/', i))[1] * 1000
    quiet = sorted(light(i) for i in range(200))
    stop = threading.Event()
    answers = {}

    def hammer(k):
        conn_srv = Server.__new__(Server)
        conn_srv.host, conn_srv.port, conn_srv.conn = srv.host, srv.port, None
        i = 0
        while not stop.is_set():
            i += 1
            st, dt = conn_srv.get(fresh(worst[(k + i) % len(worst)], i))
            answers.setdefault(st, []).append(dt)
    threads = [threading.Thread(target=hammer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    busy = sorted(light(1000 + i) for i in range(200))
    stop.set()
    for t in threads:
        t.join()
    srv.stop()
    pct = lambda v: (statistics.median(v), v[min(len(v) - 1, int(len(v) * 0.99))])
    return pct(quiet), pct(busy), {k: len(v) for k, v in answers.items()}, \
        max(max(v) for v in answers.values()) * 1000


def bench_script(name, env):
    """Runs bench/NAME.sh on the same build and returns what it printed."""
    log('running bench/%s.sh ...' % name)
    r = subprocess.run(['sh', os.path.join(ROOT, 'bench', name + '.sh'), BUILD], capture_output=True,
                       text=True, env=dict(os.environ, **env))
    if r.returncode != 0:
        sys.exit('bench/%s.sh: %s' % (name, r.stderr))
    return r.stdout


def write_rows(sites):
    """The write side, measured by its own scripts in the same run: the mixed load's hit rate and
    p99 against read-only (bench/mixed.sh, 10,000 articles as the issue asks), and durable comment
    throughput against a plain one-fsync-per-row SQLite loop (bench/comments.sh). Each row is a
    text: those benches do not grow with the archive's size. SCALE_WRITES=0 skips them."""
    if os.environ.get('SCALE_WRITES', '1') == '0':
        return []
    rows = []
    out = bench_script('mixed', {'MIXED_BENCH_DIR': os.path.join(DIR, 'mixed')})
    m = re.search(r'p99 mixed / read-only: ([0-9.]+) .*hit rate mixed: ([0-9.]+)%', out)
    if not m:
        sys.exit('bench/mixed.sh printed no summary:\n' + out)
    rows.append(('mixed load p99 / read-only', '%s (goal <= 2)' % m.group(1)))
    rows.append(('mixed load hit rate', '%s%% (goal >= 95%%)' % m.group(2)))
    soak = re.search(r'^RSS less the caches: (.*)$', out, re.M)  # with SOAK_SECONDS
    if soak:
        rows.append(('soak: ' + os.environ['SOAK_SECONDS'] + ' s, RSS less the caches', soak.group(1)))
    out = bench_script('comments', {})
    acked = re.findall(r'^gazette, (.*?) +([0-9]+)/s', out, re.M)
    loop = re.findall(r'^one fsync per row, (.*?) +([0-9]+)/s', out, re.M)
    ratio = re.findall(r'^ratio gazette / loop +([0-9.]+)', out, re.M)
    if not acked or len(acked) != len(loop) or len(loop) != len(ratio) or 'LOST' in out:
        sys.exit('bench/comments.sh:\n' + out)
    for (disk, a), (_, l), r in zip(acked, loop, ratio):
        rows.append(('comments/s, ' + disk, '%s acked, loop %s, ratio %s' % (a, l, r)))
    return rows


def main():
    os.makedirs(DIR, exist_ok=True)
    sites = {n: make_site(n) for n in SIZES}
    results = {}
    for n in SIZES:
        data, took = sites[n]
        log('measuring the %d-post site ...' % n)
        warm(data)
        types, total = page_types(data, n)
        up, rss = startup(data)
        srv = Server(data)
        times = time_pages(srv, types)
        srv.stop()
        irs = count_instructions(data, types) if CALLGRIND else {}
        quiet, busy, answers, longest = hold(data, total)
        results[n] = dict(types=types, times=times, irs=irs, up=up, rss=rss, quiet=quiet, busy=busy,
                          answers=answers, longest=longest, took=took)
    base = SIZES[0]
    names = [t[0] for t in results[base]['types']]
    w = 44
    head = '%-*s' % (w, 'page (uncached)') + ''.join('%16s' % ('%d posts' % n) for n in SIZES) + \
        ''.join('%9s' % ('x%s' % short(n)) for n in SIZES[1:])
    lines = ['', 'Wall time, median / p99 ms, %d requests a page type (ratios: medians to the %d-post site)'
             % (REQUESTS, base), head]
    for name in names:
        row = '%-*s' % (w, name)
        for n in SIZES:
            md, p99, bad = results[n]['times'][name]
            row += '%16s' % ('%.2f / %.2f%s' % (md, p99, ' !%d' % bad if bad else ''))
        for n in SIZES[1:]:
            row += '%9.2f' % (results[n]['times'][name][0] / results[base]['times'][name][0])
        lines.append(row)
    if CALLGRIND:
        lines += ['', 'Instructions in the request handler, median of %d requests (callgrind; ratios to the '
                  '%d-post site)' % (CG_REQUESTS, base), head.replace('page (uncached)', 'page (uncached)')]
        worst = 0
        for name in names:
            row = '%-*s' % (w, name) + ''.join('%16s' % ('{:,}'.format(int(results[n]['irs'][name])))
                                               for n in SIZES)
            for n in SIZES[1:]:
                r = results[n]['irs'][name] / max(1, results[base]['irs'][name])
                worst = max(worst, r)
                row += '%9.2f' % r
            lines.append(row)
        lines.append('%-*s%.2f (goal: <= 1.5)' % (w, 'highest instruction ratio', worst))
    lines += ['', '%-*s' % (w, 'the site') + ''.join('%16s' % ('%d posts' % n) for n in SIZES)]
    rows = [('start-up to the first page (s)', lambda r: '%.3f' % r['up']),
            ('RSS idle after start (MiB)', lambda r: '%.1f' % r['rss']),
            ('light page alone, median/p99 ms', lambda r: '%.2f / %.2f' % r['quiet']),
            ('... with worst requests in flight', lambda r: '%.2f / %.2f' % r['busy']),
            ('worst requests: answers', lambda r: ','.join('%s:%d' % kv for kv in sorted(r['answers'].items()))),
            ('worst request, longest (ms)', lambda r: '%.0f' % r['longest']),
            ('import of the site (s, when made)', lambda r: '%.0f' % r['took'])]
    for label, f in rows:
        lines.append('%-*s' % (w, label) + ''.join('%16s' % (' ' + f(results[n])) for n in SIZES))
    extra = write_rows(sites)
    if extra:
        lines += ['', 'Writes']
        for label, vals in extra:
            lines.append('%-*s' % (w, label) + (''.join('%16s' % v for v in vals) if isinstance(vals, list) else vals))
    lines.append('')
    text = '\n'.join(lines)
    print(text)
    with open(os.path.join(DIR, 'results.txt'), 'w') as f:
        f.write(text)


def short(n):
    return '%dM' % (n // 10 ** 6) if n >= 10 ** 6 and n % 10 ** 6 == 0 else \
        '%dk' % (n // 1000) if n >= 1000 and n % 1000 == 0 else str(n)


if __name__ == '__main__':
    main()
