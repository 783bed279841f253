#!/usr/bin/env node
'use strict';
// `node run-source.js <command> [args]`: like bin/ccpulse.js, but runs a command's TypeScript
// source compiled on the fly by @swc/core (as jest does), so stack tests need no `npm run build`.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const options = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete options.$schema;
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename, sourceMaps: false });
  module._compile(code, filename);
};
const aliases = {
  '@ccpulse/domain': path.join(root, 'libs/domain/src/index.ts'),
  '@ccpulse/db': path.join(root, 'libs/db/src/index.ts'),
  '@ccpulse/runtime': path.join(root, 'libs/runtime/src/index.ts'),
  '@ccpulse/report': path.join(root, 'libs/report/src/index.ts'),
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};

const owners = {
  ingest: 'apps/ingestor/src/main.ts',
  aggregate: 'apps/aggregator/src/main.ts',
  api: 'apps/api/src/main.ts',
  migrate: 'libs/db/src/cli/migrate.command.ts',
  start: 'tools/start/start.command.ts',
  // Not a ccpulse command: jest's fallback servers, run as their own process for their test.
  'test-servers': 'tools/jest/test-support/test-servers.command.ts',
};
const [command, ...argv] = process.argv.slice(2);
require(path.join(root, owners[command]))
  .run(argv)
  .then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 1; });
