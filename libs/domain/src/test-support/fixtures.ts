/* Test-only: finds the shared real-transcript fixtures and reads them (tests may do I/O). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `CCPULSE_FIXTURES`, else `../shared/fixtures` next to the repository root. */
export function fixturesDir(): string | undefined {
  const dir = process.env.CCPULSE_FIXTURES ?? path.resolve(__dirname, '../../../../../shared/fixtures');
  if (fs.existsSync(path.join(dir, 'claude', 'projects'))) return dir;
  console.warn(`fixtures not found at ${dir}: the generated corpus only, no real-transcript tier (set CCPULSE_FIXTURES)`);
  return undefined;
}

/** Every `*.jsonl` under `root`, relative to it, sorted. */
export function listJsonl(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.name.endsWith('.jsonl')) out.push(path.relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/** Lines of a file with their 1-based numbers (blank lines included; the parser skips them). */
export function readLinesSync(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
