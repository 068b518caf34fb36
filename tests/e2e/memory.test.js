// No per-request growth (the long version is bench/mixed.sh with SOAK_SECONDS): rounds of page
// reads, missing pages, feeds and comments, with a page cache budget small enough to be full
// and evicting; after the first rounds the server's resident memory stays where it was.
'use strict';

const { it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');

const ROUNDS = 8;

function rssKiB(pid) {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m[1]);
}

it('resident memory stays flat over rounds of reads and comments', async () => {
    const posts = {};
    for (let i = 1; i <= 12; i++)
        posts[`p${i}`] = { title: `Memory story ${i} headline`, slug: `memory-${i}`,
            date: `2026-03-${String(i).padStart(2, '0')}T08:00:00Z` };
    const s = seedSmall(undefined, { settings: { comment_hold_first: 0 }, posts });
    // A quarantine of freed memory (the sanitizer build's) would look like growth: keep it small.
    const server = await srv.startServer({ dataDir: s.dataDir, threads: 1, args: ['--cache-mb', '1'],
        env: { ASAN_OPTIONS: 'detect_leaks=1:quarantine_size_mb=1:malloc_context_size=5' } });
    const list = Object.values(s.posts);
    const samples = [];
    try {
        for (let round = 0; round < ROUNDS; round++) {
            const work = [];
            for (let i = 0; i < 120; i++) {
                const p = list[i % list.length];
                work.push(srv.get(server.url + (i % 3 === 0 ? `${p.path}feed/` : p.path)));
                work.push(srv.get(server.url + `/no-such-page-${round}-${i}/`));
                if (i % 6 === 0)
                    work.push(srv.postForm(server.url + '/comment/', { comment_post_ID: p.id, comment_parent: 0,
                        author: `Round ${round}`, email: `r${round}-${i}@memory.example`,
                        comment: `Short note ${round}-${i}.` }));
                if (work.length >= 24)
                    await Promise.all(work.splice(0));
            }
            await Promise.all(work);
            samples.push(rssKiB(server.pid));
        }
    } finally {
        await server.stop();
    }
    console.log(`RSS samples (KiB): ${samples.join(", ")}`);
    const settled = samples[2];
    const last = samples[ROUNDS - 1];
    assert.ok(last - settled < 1536,
        `RSS went from ${settled} KiB after round 3 to ${last} KiB after round ${ROUNDS}: ${samples.join(', ')}`);
});
