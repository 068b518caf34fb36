// `gazette demo` (docs/reader-site.md, Starting): fills an empty data directory with a demo site
// (40+ articles, comments, an admin account), prints the admin login, then serves it.
'use strict';

const { it } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { articleLinks, assertHtmlPage, parse } = require('./lib/check');

it('demo fills an empty data directory, prints the admin login and serves 40+ articles', async () => {
    const server = await srv.startServer({ command: 'demo', startTimeout: 60000 });
    try {
        const { stdout } = server.output();
        assert.match(stdout, /admin login: admin \/ \S+/, 'the admin login line');
        assert.ok(stdout.indexOf('admin login:') < stdout.indexOf('listening on'), 'printed before serving');
        const home = await srv.get(server.url + '/');
        assert.equal(home.status, 200);
        const doc = assertHtmlPage(home, 'demo home');
        assert.ok(articleLinks(doc).length >= 10, 'a full first page');
        // 40+ articles at 10 a page: page 4 exists.
        const p4 = await srv.get(server.url + '/page/4/');
        assert.equal(p4.status, 200, '/page/4/ of a 40+ article site');
        // Some article carries comments (look through every listing page until one does).
        let withComments = 0;
        for (let n = 1; n <= 20 && !withComments; n++) {
            const list = await srv.get(server.url + (n === 1 ? '/' : `/page/${n}/`));
            if (list.status !== 200)
                break;
            for (const p of articleLinks(parse(list.body)))
                if (parse((await srv.get(server.url + p)).body).one('h2#comments'))
                    withComments++;
        }
        assert.ok(withComments > 0, 'comments on the newest articles');
    } finally {
        await server.stop();
    }
});
