// Headless Chromium for the end-to-end tests: Debian's browser with the flags this machine needs
// (no sandbox as root, no GPU, no network of its own), and a newsroom login through the form.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PASSWORD } = require('./admin');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

async function launch() {
    const { chromium } = require('playwright-core');
    assert.ok(fs.existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`);
    return chromium.launch({ executablePath: CHROMIUM, headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--no-first-run'] });
}

// Logs page in to the newsroom at base as login (the password every test account has).
async function login(page, base, login) {
    await page.goto(`${base}/admin/login`);
    await page.fill('#user_login', login);
    await page.fill('#user_pass', PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/$/), page.click('#wp-submit')]);
}

// Where a screenshot called name goes: GAZETTE_SCREENSHOTS (a folder), else the temp folder; the
// PostgreSQL pass's carry -pg, so the two passes run side by side never write the same file.
function shotPath(name) {
    const pg = process.env.GAZETTE_E2E_DATABASE === 'pg' ? '-pg' : '';
    return path.join(process.env.GAZETTE_SCREENSHOTS || os.tmpdir(), `gazette-e2e-${name}${pg}.png`);
}

module.exports = { launch, login, shotPath };
