/* Test-only: the built `ccpulse` CLI as a child process (aggregate, status, replay). */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repo = path.resolve(__dirname, '../../../..');

/** Newest modification time of the files ending in `ext` under `dirs` (spec files aside). */
function newest(dirs: string[], ext: string): number {
  let max = 0;
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext) && !e.name.includes('.spec.')) max = Math.max(max, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) walk(path.join(repo, d));
  return max;
}

/** Compiles the sources when the built output is missing or older than them. */
export function ensureBuilt(): void {
  const sources = newest(['apps/aggregator/src', 'libs/db/src', 'libs/domain/src'], '.ts');
  const built = newest(['dist/apps/aggregator/src', 'dist/libs/db/src', 'dist/libs/domain/src'], '.js');
  if (fs.existsSync(path.join(repo, 'dist/apps/aggregator/src/main.js')) && built >= sources) return;
  execFileSync('flock', ['/tmp/ccpulse-build.lock', 'npx', 'tsc', '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'inherit' });
}

export function ccpulse(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [path.join(repo, 'bin/ccpulse.js'), ...args], {
    cwd: repo,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b) => (stdout += b));
  child.stderr?.on('data', (b) => (stderr += b));
  // 'close' waits for the output to drain; at 'exit' its last lines may still be in the pipe.
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
