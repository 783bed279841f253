/**
 * The environment names each deployable process reads, taken from its source: the one list the
 * compose file, .env.example and the docs are checked against, so they cannot drift from the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoPath } from './repo-paths';

/** Source folders behind each `ccpulse` command the stack runs (apps import domain, db and runtime only). */
export const COMMAND_SOURCES: Record<string, string[]> = {
  migrate: ['libs/db/src'],
  aggregate: ['apps/aggregator/src', 'libs/db/src', 'libs/runtime/src'],
  api: ['apps/api/src', 'libs/db/src', 'libs/runtime/src'],
  ingest: ['apps/ingestor/src', 'libs/runtime/src'],
};

function sourceFiles(dir: string): string[] {
  const abs = repoPath(dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.split(path.sep).includes('test-support'))
    .map((f) => path.join(abs, f));
}

/**
 * Names read as `process.env.X`, `env.X`, `env['X']`, or handed to a setting helper as a string
 * literal (`integer(env, 'AGGREGATOR_BATCH_SIZE', …)`, `s.INGEST_POLL_MS`). Deliberately generous:
 * the checks ask "does the code mention this name", so a miss means a typo or a dead setting.
 */
export function envNamesIn(source: string): Set<string> {
  const names = new Set<string>();
  const patterns = [/\.([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g, /\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\]/g, /['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"`]/g];
  for (const re of patterns) for (const m of source.matchAll(re)) names.add(m[1]);
  // A single word like PORT or HOST is only an env name when read from an env object.
  for (const m of source.matchAll(/\benv\??\.([A-Z][A-Z0-9]+)\b/g)) names.add(m[1]);
  for (const m of source.matchAll(/\(\s*env\s*,\s*['"]([A-Z][A-Z0-9_]*)['"]/g)) names.add(m[1]);
  return names;
}

/** Env names a `ccpulse <command>` process reads, or undefined while its sources do not exist yet. */
export function envNamesOfCommand(command: string): Set<string> | undefined {
  const files = COMMAND_SOURCES[command].flatMap(sourceFiles);
  if (files.length === 0) return undefined;
  const names = new Set<string>();
  for (const f of files) for (const n of envNamesIn(fs.readFileSync(f, 'utf8'))) names.add(n);
  return names;
}
