/**
 * jest's `moduleNameMapper` does not reach the global setup and teardown, which run in plain Node
 * (with jest's transform): this resolves `@ccpulse/<lib>` to `libs/<lib>/src/index.ts` there, as
 * tests/stack/support/run-source.js does for commands run from source. Import it first.
 */
import Module from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const m = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = m._resolveFilename;
m._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
  const lib = /^@ccpulse\/([a-z]+)$/.exec(request)?.[1];
  return resolve.call(this, lib ? path.join(root, 'libs', lib, 'src', 'index.ts') : request, ...rest);
};
