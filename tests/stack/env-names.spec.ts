/**
 * One vocabulary of environment names: what the e2e tests, the stack tests, `ccpulse start` and
 * docs/running.md use must be names the apps really read (derived from their source).
 */
import fs from 'node:fs';
import path from 'node:path';
import { COMMAND_SOURCES, envNamesOfCommand } from './support/app-env.scan';
import { readCompose } from './support/compose.file';
import { repoPath } from './support/repo-paths';

/** Names the apps read, over every command; undefined until the apps exist. */
function appNames(): Set<string> | undefined {
  const sets = Object.keys(COMMAND_SOURCES).map(envNamesOfCommand);
  if (sets.some((s) => s === undefined)) return undefined;
  return new Set(sets.flatMap((s) => [...s!]));
}
/** Read by Node, the shell or our own tooling rather than by an app. */
const NOT_APP = new Set(['PATH', 'HOME', 'NODE_ENV', 'CCPULSE_BIN', 'CCPULSE_START_GRACE_MS', 'CCPULSE_DATA_DIR', 'NATS_SERVER_BIN', 'CCPULSE_FIXTURES']);

/** `NAME: value` keys inside `env: { … }` objects of a test that spawns children. */
function envKeysSetBy(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...new Set([...text.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\s*:/g)].map((m) => m[1]))];
}

/** Test files of `dir` that start ccpulse commands as child processes. */
const specs = (dir: string, suffix: string): string[] =>
  fs.existsSync(repoPath(dir))
    ? fs
        .readdirSync(repoPath(dir))
        .filter((f) => f.endsWith(suffix))
        .map((f) => path.join(repoPath(dir), f))
        .filter((f) => /ccpulse\.js|run-source|runApp\(/.test(fs.readFileSync(f, 'utf8')))
    : [];

describe('environment names', () => {
  const names = appNames();
  if (!names) console.warn('env-names.spec: not every app has sources yet; checking what exists');

  it.each([...specs('tests/e2e', '.e2e.spec.ts'), ...specs('tests/stack', '.int.spec.ts')].map((f) => [path.relative(repoPath(), f), f]))(
    '%s sets only names the apps read',
    (_rel, file) => {
      if (!names) return;
      const foreign = envKeysSetBy(file).filter((n) => !names.has(n) && !NOT_APP.has(n) && !/^(FAKE|NATS_PASSWORD_|NATS_[A-Z]+_PASSWORD)/.test(n));
      expect(foreign).toEqual([]);
    },
  );

  it('docs/running.md names every setting docker-compose.yml gives the apps', () => {
    const doc = fs.readFileSync(repoPath('docs/running.md'), 'utf8');
    const compose = readCompose();
    const set = ['migrate', 'aggregator', 'api', 'ingestor'].flatMap((s) => Object.keys(compose.services[s].environment ?? {}));
    expect([...new Set(set)].filter((n) => !doc.includes(n))).toEqual([]);
  });

  it('docs/running.md names only settings that exist', () => {
    if (!names) return;
    const doc = fs.readFileSync(repoPath('docs/running.md'), 'utf8');
    const compose = fs.readFileSync(repoPath('docker-compose.yml'), 'utf8') + fs.readFileSync(repoPath('.env.example'), 'utf8');
    const mentioned = [...new Set([...doc.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:=[^`]*)?`/g)].map((m) => m[1]))];
    const unknown = mentioned.filter((n) => !names.has(n) && !NOT_APP.has(n) && !compose.includes(n));
    expect(unknown).toEqual([]);
  });
});
