#!/usr/bin/env node
'use strict';
// Runs tools/start/start.command.ts straight from source (compiled on the fly with @swc/core,
// as jest does), so the integration test exercises the real supervisor as its own process.
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const options = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../.swcrc'), 'utf8'));
delete options.$schema;
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename, sourceMaps: false });
  module._compile(code, filename);
};

require('../start.command.ts')
  .run(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
