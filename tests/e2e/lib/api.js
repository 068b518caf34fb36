// What the JSON API's end-to-end tests share: a server on a data directory with application
// passwords made by `gazette user app-password add`, node-wpapi clients logged in with them, and
// curl as a person types it (status, headers, the body parsed when it is JSON).
'use strict';

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const WPAPI = require('wpapi');
const srv = require('./server');

// Makes an application password for each login, starts the server with site_url set to it.
// Returns {server, api (URL of /wp-json), pw: {login: password}}.
async function apiServer(dataDir, logins) {
    const pw = {};
    for (const login of logins) {
        const out = srv.cli(dataDir, ['user', 'app-password', 'add', login, 'API tests']).stdout;
        pw[login] = /password: (.+)\n$/.exec(out)[1];
    }
    const server = await srv.startServer({ dataDir });
    srv.settingSet(dataDir, 'site_url', server.url);
    return { server, api: `${server.url}/wp-json`, pw };
}

// node-wpapi on api as login (anonymous when login is null).
function wpClient(ctx, login) {
    return login ? new WPAPI({ endpoint: `${ctx.api}/`, username: login, password: ctx.pw[login] }) :
        new WPAPI({ endpoint: `${ctx.api}/` });
}

// curl -s -i with args: {status, headers (lower case), json (null when not JSON), body}.
function curl(args) {
    const r = spawnSync('curl', ['-s', '-i', '-H', 'Expect:', ...args], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    const i = r.stdout.indexOf('\r\n\r\n');
    const head = r.stdout.slice(0, i);
    const status = Number(/^HTTP\/\S+ (\d+)/.exec(head)[1]);
    const headers = {};
    for (const line of head.split('\r\n').slice(1)) {
        const k = line.indexOf(':');
        headers[line.slice(0, k).toLowerCase()] = line.slice(k + 1).trim();
    }
    const body = r.stdout.slice(i + 4);
    let json = null;
    try {
        json = JSON.parse(body);
    } catch (e) { /* the HTTP edge's own refusals are text */ }
    return { status, headers, json, body };
}

// A request to the API path p as login (anonymous when null), with body sent as JSON.
function as(ctx, login, method, p, body) {
    const args = ['-X', method];
    if (login)
        args.push('-u', `${login}:${ctx.pw[login]}`);
    if (body !== undefined)
        args.push('-H', 'Content-Type: application/json', '--data-binary', JSON.stringify(body));
    return curl([...args, `${ctx.api}${p}`]);
}

module.exports = { apiServer, wpClient, curl, as };
