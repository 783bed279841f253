#!/usr/bin/env node
'use strict';
// `npm run test:faults`: every fault, fuzz and abuse scenario under tests/faults (reduced counts,
// or the full ones with CCPULSE_FAULTS=full), then the table of their one-line outcomes.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const table = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-faults-table-')), 'outcomes.jsonl');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
// Extra arguments narrow the run to matching files (`npm run test:faults -- crash-recovery load`).
const only = process.argv.slice(2);
const patterns = only.length ? only.map((p) => `tests/faults/.*${p}`) : ['tests/faults/'];
const args = [jest, '--runInBand', '--selectProjects', 'unit', 'int', '--', ...patterns];
const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, CCPULSE_FAULTS_TABLE: table } });

const rows = fs.existsSync(table) ? fs.readFileSync(table, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const mode = process.env.CCPULSE_FAULTS === 'full' ? 'full' : 'reduced';
const line = (cells) => `| ${cells.join(' | ')} |`;
const out = [
  '',
  `ccpulse fault suite (${mode} counts)`,
  line(['scenario', 'runs', 'lost', 'double-counted', 'time to recover', 'notes']),
  line(['---', '---:', '---:', '---:', '---:', '---']),
  ...rows.map((r) => line([r.scenario, r.runs, r.lost, r.doubleCounted, r.recoverMs ? `${(r.recoverMs / 1000).toFixed(1)} s` : '-', r.note ?? ''])),
  '',
];
process.stdout.write(out.join('\n'));
fs.rmSync(path.dirname(table), { recursive: true, force: true });
process.exit(run.status ?? 1);
