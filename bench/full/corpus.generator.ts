/**
 * The bench corpus: the real fixtures (or, when they are absent, the synthetic transcripts of
 * `libs/domain/src/test-support/`) scaled to a byte size, deterministically from a seed.
 *
 * Layout under `<dir>/projects/` (a Claude config dir, so `CLAUDE_CONFIG_DIR=<dir>` works for both
 * ccusage and `ccpulse report`):
 * - one copy of the whole fixture set per "user" (`u<k>-<project>/…`, ~40 sessions each) with its
 *   own uuids, session ids, message ids, request ids and tool ids, and timestamps moved back by a
 *   seeded number of days, so every copy is new work for every counter; the fixtures bring the
 *   realistic mix (split responses, progress lines, subagent files, summaries, snapshots);
 * - per user, ~10 % of the main sessions also get a resumed-session copy (a new session file that
 *   repeats the history with the same uuids and message ids: dedupe must drop it);
 * - one big single session (`big/<session>.jsonl`), half the corpus (500 MB at 1 GB): the largest
 *   fixture session repeated with fresh ids and forward-moving timestamps.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { rng, syntheticTranscripts } from '../../libs/domain/src/test-support/synthetic-transcript';

const MB = 1024 * 1024;
const DAY_MS = 86_400_000;

/** What was generated; stored as `manifest.json` next to `projects/`. */
export interface CorpusManifest {
  /** The Claude config dir (parent of `projects/`). */
  dir: string;
  seed: number;
  source: 'fixtures' | 'synthetic';
  bytes: number;
  lines: number;
  files: number;
  users: number;
  resumedCopies: number;
  bigFile: string;
  bigFileBytes: number;
}

interface SourceFile {
  rel: string;
  text: string;
}

/** `250MB`, `1GB`, `20mb`, `512` (MB) → bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(kb|mb|gb)?$/i.exec(text.trim());
  if (!m) throw new Error(`--size: expected e.g. 250MB or 1GB, got '${text}'`);
  const unit = (m[2] ?? 'mb').toLowerCase();
  return Math.round(Number(m[1]) * (unit === 'gb' ? 1024 * MB : unit === 'mb' ? MB : 1024));
}

export function sizeLabel(bytes: number): string {
  return bytes >= 1024 * MB && bytes % (1024 * MB) === 0 ? `${bytes / 1024 / MB}GB` : `${Math.round(bytes / MB)}MB`;
}

export function fixturesProjects(repo: string): string | undefined {
  const dir = resolve(process.env.CCPULSE_FIXTURES || join(repo, '../shared/fixtures'), 'claude/projects');
  return existsSync(dir) ? dir : undefined;
}

export function listJsonl(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listJsonl(path, out);
    else if (name.endsWith('.jsonl')) out.push(path);
  }
  return out;
}

function loadSources(repo: string, seed: number): { source: CorpusManifest['source']; files: SourceFile[] } {
  const fixtures = fixturesProjects(repo);
  if (fixtures) return { source: 'fixtures', files: listJsonl(fixtures).map((f) => ({ rel: relative(fixtures, f), text: readFileSync(f, 'latin1') })) };
  const files = syntheticTranscripts({ seed, sessions: 40, turnsPerSession: 60 }).map((f) => ({ rel: f.file, text: f.lines.join('\n') + '\n' }));
  return { source: 'synthetic', files };
}

const UUID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.jsonl)?$/;
const IDS = /"(uuid|sessionId|parentUuid|requestId|leafUuid|messageId)":"([^"]*)"|"(id|tool_use_id)":"(msg_|toolu_)|"timestamp":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)/g;

/**
 * One copy of a transcript text: ids get `tag` in front (so they stay unique across copies) and
 * timestamps move by `shiftMs`. `sessionId`, when given, replaces every line's session id.
 */
export function retag(text: string, tag: string, shiftMs: number, sessionId?: string): string {
  return text.replace(IDS, (all, key?: string, value?: string, idKey?: string, prefix?: string, ts?: string) => {
    if (key) return `"${key}":"${key === 'sessionId' && sessionId ? sessionId : `${tag}-${value}`}"`;
    if (idKey) return `"${idKey}":"${prefix}${tag}`;
    if (ts && shiftMs) return `"timestamp":"${new Date(Date.parse(`${ts}Z`) + shiftMs).toISOString().slice(0, 19)}`;
    return all;
  });
}

/** The path of a copy: the project dir gets the user prefix, session-named parts get the tag. */
function copyPath(rel: string, user: string, tag: string): string {
  const parts = rel.split('/');
  parts[0] = `${user}-${parts[0]}`;
  return join(...parts.map((p, i) => (i > 0 && UUID_NAME.test(p) ? `${tag}-${p}` : p)));
}

const countLines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * Generates (or reuses, when its manifest matches) the corpus of `bytes` bytes for `seed` under
 * `root/<size>-s<seed>/`. Returns its manifest.
 */
export function ensureBenchCorpus(repo: string, root: string, bytes: number, seed: number, log: (line: string) => void): CorpusManifest {
  const dir = join(root, `${sizeLabel(bytes)}-s${seed}`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as CorpusManifest;
    if (m.dir === dir) return m;
  }
  rmSync(dir, { recursive: true, force: true });
  const started = Date.now();
  const { source, files: sources } = loadSources(repo, seed);
  const rand = rng(seed);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const projects = join(dir, 'projects');
  let written = 0;
  let lines = 0;
  let files = 0;
  const write = (rel: string, text: string) => {
    const path = join(projects, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, 'latin1');
    written += text.length;
    lines += countLines(text);
    files++;
  };

  // The big single session: the largest main-session source file, repeated forward in time.
  const bigTarget = Math.floor(bytes / 2);
  const bigSource = sources.filter((s) => !s.rel.includes('/subagents/') && !/agent-[^/]*$/.test(s.rel)).sort((a, b) => b.text.length - a.text.length)[0];
  const bigSession = uuid();
  const bigRel = join('-home-dev-big-monorepo', `${bigSession}.jsonl`);
  const stamps = [...bigSource.text.matchAll(/"timestamp":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)/g)].map((m) => Date.parse(`${m[1]}Z`));
  const span = Math.max(DAY_MS / 24, Math.max(...stamps) - Math.min(...stamps) + 60_000);
  const repeats = Math.max(1, Math.round(bigTarget / bigSource.text.length));
  mkdirSync(dirname(join(projects, bigRel)), { recursive: true });
  const fd = openSync(join(projects, bigRel), 'w');
  let bigBytes = 0;
  try {
    for (let r = 0; r < repeats; r++) {
      // Earlier repeats lie further back, so the session runs forward in time into the fixtures' era.
      const text = retag(bigSource.text, `b${seed}r${r}`, -(repeats - r) * span, bigSession);
      bigBytes += writeSync(fd, text, null, 'latin1');
      lines += countLines(text);
    }
  } finally {
    closeSync(fd);
  }
  written += bigBytes;
  files++;

  // Users: whole copies of the fixture set until the size is reached.
  let users = 0;
  let resumed = 0;
  while (written < bytes) {
    const user = `u${users}`;
    const tag = `s${seed}${user}`;
    const shift = -Math.floor(rand() * 120) * DAY_MS;
    for (const s of sources) {
      const text = retag(s.text, tag, shift);
      write(copyPath(s.rel, user, tag), text);
      const isMain = s.rel.split('/').length === 2 && UUID_NAME.test(s.rel.split('/')[1]);
      if (isMain && rand() < 0.1) {
        // A resumed session: the same history (same uuids and message ids) under a new session id.
        const session = uuid();
        write(join(`${user}-${s.rel.split('/')[0]}`, `${session}.jsonl`), retag(s.text, tag, shift, session));
        resumed++;
      }
      if (written >= bytes) break;
    }
    users++;
  }
  const manifest: CorpusManifest = { dir, seed, source, bytes: written, lines, files, users, resumedCopies: resumed, bigFile: join(projects, bigRel), bigFileBytes: bigBytes };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  log(`corpus: ${sizeLabel(bytes)} seed ${seed} from ${source}: ${files} files, ${lines} lines, ${users} users, ${resumed} resumed copies, big file ${(bigBytes / MB).toFixed(0)} MB, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return manifest;
}
