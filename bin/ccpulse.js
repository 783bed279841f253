#!/usr/bin/env node
'use strict';
// The `ccpulse` command: resolves our own path aliases for the compiled output, then hands the
// subcommand to the app that owns it. Apps never import each other; only this table knows them all.
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');

const dist = path.join(__dirname, '..', 'dist');
const aliases = {
  '@ccpulse/domain': path.join(dist, 'libs/domain/src/index.js'),
  '@ccpulse/db': path.join(dist, 'libs/db/src/index.js'),
  '@ccpulse/runtime': path.join(dist, 'libs/runtime/src/index.js'),
  '@ccpulse/report': path.join(dist, 'libs/report/src/index.js'),
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};

/** subcommand -> compiled module exporting `run(argv: string[]): Promise<number>` */
const owners = {
  report: 'libs/report/src/report.command.js',
  ingest: 'apps/ingestor/src/main.js',
  aggregate: 'apps/aggregator/src/main.js',
  replay: 'apps/aggregator/src/ops/replay.command.js',
  status: 'apps/aggregator/src/ops/status.command.js',
  api: 'apps/api/src/main.js',
  user: 'apps/api/src/auth/user.command.js',
  migrate: 'libs/db/src/cli/migrate.command.js',
  attribution: 'libs/db/src/cli/attribution.command.js',
  start: 'tools/start/start.command.js',
};

const usage = `usage: ccpulse <command> [options]

commands:
  report       local usage reports from transcript files (no server needed)
  ingest       tail transcripts and publish them to NATS JetStream
  aggregate    fold the stream into PostgreSQL, exactly once
  api          serve the GraphQL API, subscriptions and the dashboard
  start        run migrations, then aggregator, api and ingestor together
  migrate      apply database migrations
  replay       rebuild the projections from the stream (--wait to follow)
  status       show consumer lag and replay progress
  user         add or revoke API users (user add NAME [--admin] | user revoke NAME)
  attribution  load a skills/agents/commands catalog (attribution load FILE)

Run 'ccpulse <command> --help' for a command's options; 'ccpulse --version' prints the version.`;

async function main() {
  const [command, ...argv] = process.argv.slice(2);
  if (command === '--version' || command === '-v' || command === 'version') {
    console.log(require('../package.json').version);
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return command ? 0 : 2;
  }
  const owner = owners[command];
  if (!owner) {
    console.error(`ccpulse: unknown command '${command}'\n\n${usage}`);
    return 2;
  }
  const file = path.join(dist, owner);
  if (!fs.existsSync(file)) {
    console.error(`ccpulse: '${command}' is not built (${path.relative(process.cwd(), file)} is missing); run 'npm run build'`);
    return 2;
  }
  return require(file).run(argv);
}

main().then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(`ccpulse: ${err && err.stack ? err.stack : err}`); process.exitCode = 1; },
);
