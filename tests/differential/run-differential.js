#!/usr/bin/env node
'use strict';
// `npm run test:differential -- --seeds N [--from S]`: the differential suite over N seeds
// (npm test runs a few). Prints the time it took; a failing seed names itself.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`${name} needs a whole number >= 1, got '${argv[i + 1] ?? ''}'`);
    process.exit(2);
  }
  return v;
};
const seeds = opt('--seeds', 200);
const from = opt('--from', 1);
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const started = Date.now();
const run = spawnSync(process.execPath, [jest, '--runInBand', '--selectProjects', 'int', '--', 'tests/differential/'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CCPULSE_DIFF_SEEDS: String(seeds), CCPULSE_DIFF_FROM: String(from) },
});
console.log(`differential: seeds ${from}..${from + seeds - 1} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(run.status ?? 1);
