// Renders the benchmark page with mustache.js (npm `mustache`) after a warm-up, with its parse
// cache, until SECONDS of CPU time (all of node's threads, so GC counts) are spent, and prints
// renders per CPU second (and per wall-clock second); writes the output to OUT for comparison.
// mustache.js escapes / ` = too; Gazette escapes & < > " ' only, so mustache.js gets an escape
// function for those five characters (same work, same bytes).
//   node bench/template/mustache-bench.js DIR SECONDS OUT
'use strict';
const fs = require('fs');
const path = require('path');
const Mustache = require('mustache');

const [dir, seconds, out] = [process.argv[2], Number(process.argv[3] || 3), process.argv[4]];
const partials = {};
for (const f of fs.readdirSync(dir)) {
  if (f.endsWith('.mustache')) partials[f.slice(0, -9)] = fs.readFileSync(path.join(dir, f), 'utf8');
}
const data = JSON.parse(fs.readFileSync(path.join(dir, 'data.json'), 'utf8'));
const map = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
Mustache.escape = (s) => String(s).replace(/[&<>"']/g, (c) => map[c]);

let html = '';
for (let i = 0; i < 200; i++) html = Mustache.render(partials.page, data, partials);
const cpuSeconds = (u) => (u.user + u.system) / 1e6;
let n = 0;
const start = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let cpu = 0;
do {
  for (let i = 0; i < 50; i++) html = Mustache.render(partials.page, data, partials);
  n += 50;
  cpu = cpuSeconds(process.cpuUsage(cpu0));
} while (cpu < seconds);
const wall = Number(process.hrtime.bigint() - start) / 1e9;
if (out) fs.writeFileSync(out, html);
console.log(`mustache.js ${Mustache.version}: ${n} renders in ${cpu.toFixed(2)} s CPU (${wall.toFixed(2)} s wall), ` +
  `${(n / cpu).toFixed(0)} renders/s CPU (${(n / wall).toFixed(0)} wall), ${Buffer.byteLength(html)} bytes`);
