/**
 * ccusage v20, the Rust build: the second baseline beside ccusage v18. The devDependency
 * `ccusage-v20` (npm:ccusage@20) is a Node launcher (`src/cli.js`) that finds the native binary in
 * its optional per-platform package (`@ccusage/ccusage-<platform>-<arch>/bin/ccusage`) and spawns it.
 * The bench resolves that binary the same way and runs it itself, so neither its wall time nor its
 * peak RSS includes a Node start-up. Nothing is downloaded: without the platform package there is
 * no v20 figure.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The arguments that mirror the v18 run: `daily --json --offline -z UTC`. */
export const CCUSAGE_V20_DAILY_ARGS = ['daily', '--json', '--offline', '-z', 'UTC'];

export interface CcusageV20 {
  /** The native binary, executable. */
  bin: string;
  /** The platform package it came from, e.g. `@ccusage/ccusage-linux-x64`, and its version (which can trail the launcher's). */
  pkg: string;
  version: string;
}

/** The native binary of the installed `ccusage-v20`, or undefined when this platform has none. */
export function ccusageV20(repo: string): CcusageV20 | undefined {
  const launcher = join(repo, 'node_modules', 'ccusage-v20', 'package.json');
  if (!existsSync(launcher)) return undefined;
  const pkg = `@ccusage/ccusage-${process.platform}-${process.arch}`;
  let manifest: string;
  try {
    manifest = createRequire(launcher).resolve(`${pkg}/package.json`);
  } catch {
    return undefined;
  }
  const bin = join(dirname(manifest), 'bin', process.platform === 'win32' ? 'ccusage.exe' : 'ccusage');
  if (!existsSync(bin)) return undefined;
  // npm unpacks it without the execute bit (it is no package `bin`); the launcher sets it too.
  if (process.platform !== 'win32' && (statSync(bin).mode & 0o111) === 0) chmodSync(bin, 0o755);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { bin, pkg, version };
}

/**
 * v20's `daily` reads every agent it finds under HOME (~/.codex, ~/.gemini, opencode, …), where
 * v18's reads only CLAUDE_CONFIG_DIR: an empty HOME of its own keeps it on the corpus alone.
 * `remove()` deletes that HOME afterwards.
 */
export function ownHome(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; remove(): void } {
  const home = mkdtempSync(join(tmpdir(), 'ccpulse-bench-home-'));
  return { env: { ...env, HOME: home }, remove: () => rmSync(home, { recursive: true, force: true }) };
}
