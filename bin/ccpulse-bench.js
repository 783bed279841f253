#!/usr/bin/env node
'use strict';
// `npm run bench [-- --size 1GB | name…]`, `npm run bench:smoke`: the compiled bench entry (dist/bench/index.js).
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'bench', 'index.js');
if (!fs.existsSync(entry)) {
  console.error(`ccpulse-bench: ${path.relative(process.cwd(), entry)} is missing; run 'npm run build'`);
  process.exitCode = 2;
} else {
  require(entry).main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { console.error(err && err.stack ? err.stack : err); process.exitCode = 1; },
  );
}
