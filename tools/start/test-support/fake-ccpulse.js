#!/usr/bin/env node
'use strict';
// A stand-in for bin/ccpulse.js used by start.command.int.spec.ts: same command names, no real
// work. Each app records what happens to it in FAKE_LOG so the test can check the order.
//   FAKE_MIGRATE_EXIT=N          migrate exits with N (default 0)
//   FAKE_CRASH_<APP>=N           the app crashes on its first N starts (counted in FAKE_LOG),
//                                with exit code FAKE_CRASH_CODE (default 1)
//   FAKE_OUTDATED_<APP>=N        the app exits 3 ("a newer processor version is live") on its
//                                first N starts, after saying it is ready
//   FAKE_IGNORE_TERM_<APP>=1     the app ignores SIGTERM (to prove the SIGKILL fallback)
const fs = require('node:fs');
const http = require('node:http');

const [command] = process.argv.slice(2);
const app = { aggregate: 'aggregator', ingest: 'ingestor', api: 'api', migrate: 'migrate' }[command];
const log = (event) => fs.appendFileSync(process.env.FAKE_LOG, `${app} ${event}\n`);
const upper = (app || '').toUpperCase();

if (!app) {
  console.error(`fake-ccpulse: unknown command ${command}`);
  process.exit(2);
}
log('start');
console.log(`${app} says hello on stdout`);
console.error(`${app} says hello on stderr`);

if (app === 'migrate') {
  const code = Number(process.env.FAKE_MIGRATE_EXIT || 0);
  if (code !== 0) console.error('migrate: relation "x" cannot be created (fake failure)');
  process.exit(code);
}

const starts = fs.readFileSync(process.env.FAKE_LOG, 'utf8').split('\n').filter((l) => l === `${app} start`).length;
if (starts <= Number(process.env[`FAKE_CRASH_${upper}`] || 0)) {
  console.error(`${app} crashing on purpose (start ${starts})`);
  process.exit(Number(process.env.FAKE_CRASH_CODE || 1));
}

let server;
if (app === 'api') {
  server = http
    .createServer((req, res) => {
      res.writeHead(req.url === '/readyz' ? 200 : 404).end();
    })
    .listen(Number(process.env.PORT), '127.0.0.1');
}
const keepAlive = setInterval(() => {}, 1 << 30);
process.on('SIGTERM', () => {
  log('SIGTERM');
  if (process.env[`FAKE_IGNORE_TERM_${upper}`]) return;
  // Pretend to drain: finish the in-flight work, then leave cleanly.
  setTimeout(() => {
    log('drained');
    clearInterval(keepAlive);
    if (server) server.close();
    process.exit(0);
  }, 100);
});
// Only now would a SIGTERM be handled: tests wait for this line before signalling.
log('ready');
if (starts <= Number(process.env[`FAKE_OUTDATED_${upper}`] || 0)) {
  setTimeout(() => {
    log('outdated');
    console.error(`${app}: a newer processor version is live; stepping down`);
    process.exit(3);
  }, 200);
}
