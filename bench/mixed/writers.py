#!/usr/bin/env python3
"""The writes of the mixed benchmark, at a steady rate next to wrk's reads:
comments (POST /comment/ on articles drawn like the reads, most read first) and newsroom
logins (the login form's token, then the POST; Argon2id runs on the server's workers).

usage: writers.py URL PATHS_IDS_FILE KIND RATE SECONDS [LOGIN PASSWORD]
  KIND is comments or logins; PATHS_IDS_FILE lines are "PATH ID". Prints one line:
  "KIND sent N ok M other K p50_ms X p99_ms Y".
"""
import http.client
import random
import re
import sys
import threading
import time
import urllib.parse


def zipf_pick(n, cdf):
    r = random.random()
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cdf[mid] < r:
            lo = mid + 1
        else:
            hi = mid
    return lo


def main():
    url, ids_file, kind, rate, secs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
    login, password = (sys.argv[6], sys.argv[7]) if len(sys.argv) > 7 else ("", "")
    u = urllib.parse.urlparse(url)
    ids = [line.split()[1] for line in open(ids_file) if line.strip()]
    total, cdf = 0.0, []
    for k in range(1, len(ids) + 1):
        total += 1.0 / k
        cdf.append(total)
    cdf = [c / total for c in cdf]
    stats = {"ok": 0, "other": 0}
    lat = []
    lock = threading.Lock()
    tag = "%d-%d" % (int(time.time()), random.randrange(1 << 30))

    def one(n):
        t0 = time.monotonic()
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        try:
            if kind == "comments":
                body = urllib.parse.urlencode({
                    "comment_post_ID": ids[zipf_pick(len(ids), cdf)], "comment_parent": "0",
                    "author": "Mixed Reader %s-%d" % (tag, n), "email": "reader%d@bench.example" % n,
                    "comment": "Comment %s-%d: a reader's view of the story." % (tag, n)})
                c.request("POST", "/comment/", body, {"Content-Type": "application/x-www-form-urlencoded"})
                r = c.getresponse()
                r.read()
                good = r.status == 303
            else:
                c.request("GET", "/admin/login")
                r = c.getresponse()
                page = r.read().decode("utf-8", "replace")
                cookie = r.getheader("Set-Cookie", "").split(";")[0]
                m = re.search(r'name="_login" value="([0-9a-f]+)"', page)
                body = urllib.parse.urlencode({"log": login, "pwd": password, "_login": m.group(1) if m else ""})
                c.request("POST", "/admin/login", body,
                          {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
                r = c.getresponse()
                r.read()
                good = r.status == 303
        except OSError:
            good = False
        finally:
            c.close()
        with lock:
            lat.append((time.monotonic() - t0) * 1000)
            stats["ok" if good else "other"] += 1

    # Requests start on schedule, each on its own thread, whether the earlier ones are done or not.
    sent = 0
    threads = []
    start = time.monotonic()
    while time.monotonic() - start < secs:
        due = start + sent / rate
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        sent += 1
        th = threading.Thread(target=one, args=(sent,))
        th.start()
        threads.append(th)
    for th in threads:
        th.join()
    ok, other = stats["ok"], stats["other"]
    lat.sort()
    pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else 0
    print("%s sent %d ok %d other %d p50_ms %.1f p99_ms %.1f" % (kind, sent, ok, other, pick(0.5), pick(0.99)))


main()
