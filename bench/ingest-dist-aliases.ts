/**
 * Compiled benches (`dist/bench/*.js`) resolve our path aliases the way `bin/ccpulse.js` does;
 * under jest/swc the moduleNameMapper does it and this is a no-op. Import it first.
 */
import Module from 'node:module';
import { join } from 'node:path';

if (__filename.endsWith('.js')) {
  const dist = join(__dirname, '..');
  const aliases: Record<string, string> = {
    '@ccpulse/domain': join(dist, 'libs/domain/src/index.js'),
    '@ccpulse/db': join(dist, 'libs/db/src/index.js'),
    '@ccpulse/runtime': join(dist, 'libs/runtime/src/index.js'),
    '@ccpulse/report': join(dist, 'libs/report/src/index.js'),
  };
  const m = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = m._resolveFilename;
  m._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return resolve.call(this, aliases[request] ?? request, ...rest);
  };
}
