/**
 * The bench corpus: the shared fixtures replicated under `bench/corpus/claude/projects/` (git
 * ignored) until it holds at least `mb` megabytes. Each copy gets its own uuids, session ids,
 * message ids and request ids, so every copy counts as new work (nothing collapses in dedupe).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const REPO = resolve(__dirname, __filename.endsWith('.js') ? '../..' : '..');
const MB = 1024 * 1024;

export function fixturesProjects(): string | undefined {
  const dir = resolve(process.env.CCPULSE_FIXTURES || join(REPO, '../shared/fixtures'), 'claude/projects');
  return existsSync(dir) ? dir : undefined;
}

function listJsonl(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listJsonl(path, out);
    else if (name.endsWith('.jsonl')) out.push(path);
  }
  return out;
}

export interface Corpus {
  /** A Claude config dir (`CLAUDE_CONFIG_DIR`) whose `projects/` holds the copies. */
  configDir: string;
  files: string[];
  bytes: number;
}

/** Builds the corpus once (reused while its marker matches `mb`). */
export function ensureCorpus(mb: number): Corpus | undefined {
  const source = fixturesProjects();
  if (!source) return undefined;
  const configDir = join(REPO, 'bench', 'corpus', 'claude');
  const marker = join(REPO, 'bench', 'corpus', `.domain-${mb}mb`);
  if (!existsSync(marker)) {
    // Only this corpus and its markers: bench/corpus/ also holds the suite's corpora (bench/full/).
    rmSync(configDir, { recursive: true, force: true });
    mkdirSync(join(REPO, 'bench', 'corpus'), { recursive: true });
    for (const name of readdirSync(join(REPO, 'bench', 'corpus'))) if (name.startsWith('.domain-')) rmSync(join(REPO, 'bench', 'corpus', name));
    const sources = listJsonl(source).map((f) => ({ rel: relative(source, f), text: readFileSync(f, 'latin1') }));
    let bytes = 0;
    for (let copy = 0; bytes < mb * MB; copy++) {
      for (const { rel, text } of sources) {
        const tag = `c${copy}`;
        const data = text
          .replace(/("(?:uuid|sessionId|parentUuid|requestId)"\s*:\s*")/g, `$1${tag}-`)
          .replace(/("id"\s*:\s*"(?:msg|toolu)_)/g, `$1${tag}`);
        const parts = rel.split('/');
        parts[0] = `${parts[0]}-${tag}`;
        // The session named by a path (`<session>.jsonl`, `<session>/subagents/…`) gets the tag too.
        const path = join(configDir, 'projects', ...parts.map((p, i) => (i > 0 && /^[0-9a-f-]{36}(\.jsonl)?$/.test(p) ? `${tag}-${p}` : p)));
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, data, 'latin1');
        bytes += data.length;
      }
    }
    writeFileSync(marker, String(bytes));
  }
  const files = listJsonl(join(configDir, 'projects'));
  return { configDir, files, bytes: files.reduce((a, f) => a + statSync(f).size, 0) };
}
