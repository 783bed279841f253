/**
 * Test-only: a seeded generator of adversarial Claude Code transcript trees (same seed, same
 * bytes), for suites that must run without the shared real fixtures. Each tree mixes the shapes
 * that break counting: split responses with growing output snapshots, resumed sessions copying
 * lines into new files (with the old or the new sessionId), sidechain replays of a parent's
 * message with the same, another or no requestId, `<session>/subagents/` folders and old
 * project-level `agent-*.jsonl` files, microsecond timestamps and exact ties, copies of one uuid
 * that differ in content, several sessions in one file, a missing trailing newline, CRLF, a BOM,
 * malformed lines, and an in-place rewrite (`rewrite`: the same file with lines inserted before
 * its old end, for suites that ingest twice). On request (`oversized`), a line longer than the
 * line limit, anywhere in a file, the last line included; on request (`outcomes`), edits,
 * commits, pull requests and rejected uses.
 *
 * Next to the bytes it returns the {@link TreeTruth}: what the tree must count, worked out from
 * how it was built (which copy of each line and response is the kept one), not by the domain code.
 */
import { DEFAULT_MAX_LINE_BYTES } from '../entry/parse-line';
import { rng } from './synthetic-transcript';

export interface TreeTruthTokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  cache5m: number;
  cache1h: number;
}

export interface TreeTruth {
  /** Lines that are not JSON objects (each is one rejection). */
  rejected: number;
  /** UTC day → model → tokens of the kept copy of every counted response. */
  daily: Record<string, Record<string, TreeTruthTokens>>;
  /** Every session with a user or assistant line, with the counts known by construction. */
  sessions: Record<string, { user_messages: number; assistant_messages: number; input_tokens: number; output_tokens: number; cache_read_tokens: number; cache_creation_tokens: number; started_at: string; ended_at: string }>;
}

export interface TranscriptTree {
  seed: number;
  /** Path relative to a `projects` root → file bytes. */
  files: Map<string, Buffer>;
  /** The file rewritten in place and its new bytes (the old ones are a prefix-free variant). */
  rewrite?: { file: string; bytes: Buffer };
  truth: TreeTruth;
}

export interface TreeOptions {
  seed: number;
  /** Main sessions (resumed copies and subagents come on top). */
  sessions?: number;
  turns?: number;
  /**
   * In about half the trees, one line just above `DEFAULT_MAX_LINE_BYTES` (16 MiB) in one file.
   * Off by default: each costs 16 MiB written and read, so only the suites that compare readers
   * ask for it. It draws from its own random stream, so the rest of a seed's tree is unchanged.
   */
  oversized?: boolean;
  /**
   * Edit and Bash uses that produce outcome metrics: lines changed, `git commit` / `gh pr
   * create` runs, uses the person rejected. Off by default, from its own random stream, so the
   * rest of a seed's tree is unchanged.
   */
  outcomes?: boolean;
}

const MODELS = ['claude-opus-4-5-20251101', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'];
const TOOLS = ['Bash', 'Read', 'Edit', 'Skill', 'Task', 'mcp__github__create_issue'];
const REJECTED =
  "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";

/** One logical line; copies (resumes, replays) are further `Line`s with the same uuid. */
interface Line {
  uuid: string;
  sessionId: string;
  /** Epoch microseconds. */
  us: number;
  type: 'user' | 'assistant' | 'progress';
  sidechain: boolean;
  json: Record<string, unknown>;
  usage?: { messageId: string; requestId?: string; model: string; tokens: TreeTruthTokens };
}

export function transcriptTree(opts: TreeOptions): TranscriptTree {
  const rand = rng(opts.seed * 7919 + 17);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const chance = (p: number) => rand() < p;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  // Microsecond clock; some steps are 0 (exact ties) or under a millisecond.
  let us = Date.UTC(2026, int(0, 10), int(1, 27), int(0, 23), int(0, 59)) * 1000;
  const tick = () => (us += pick([0, 1, 7, 999, 1000, 250_000, int(1, 90) * 1_000_000, int(1, 40) * 60_000_000]));
  const iso = (t: number, micro: boolean) => {
    const base = new Date(Math.floor(t / 1000)).toISOString();
    return micro ? `${base.slice(0, -1)}${String(t % 1000).padStart(3, '0')}Z` : base;
  };
  const microStamps = chance(0.6);
  const work = rng(opts.seed * 15_485_863 + 11);
  const workPick = <T>(xs: readonly T[]): T => xs[Math.floor(work() * xs.length)];
  const textLines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i} ${Math.floor(work() * 1000)}`).join('\n');
  /** The input of a use, and for the outcome shapes its result's overrides (a rejection). */
  const toolUse = (tool: string): { input: Record<string, unknown>; rejected: boolean } => {
    if (tool === 'Skill') return { input: { skill: 'pdf' }, rejected: false };
    if (tool === 'Task') return { input: { subagent_type: 'Explore', prompt: 'p' }, rejected: false };
    if (!opts.outcomes || (tool !== 'Edit' && tool !== 'Bash')) return { input: { command: 'ls' }, rejected: false };
    const rejected = work() < 0.25;
    if (tool === 'Edit') {
      return { input: { file_path: '/home/dev/app/src/a.ts', old_string: textLines(1 + Math.floor(work() * 4)), new_string: textLines(1 + Math.floor(work() * 6)) }, rejected };
    }
    return { input: { command: workPick(['git commit -m "fix: the bug"', 'gh pr create --fill', 'git commit --amend --no-edit', 'ls -la']) }, rejected };
  };

  const files = new Map<string, Line[]>();
  const add = (file: string, line: Line) => (files.get(file) ?? files.set(file, []).get(file)!).push(line);
  const all: Line[] = [];
  const line = (sessionId: string, type: Line['type'], body: Record<string, unknown>, sidechain = false): Line => {
    tick();
    const l: Line = { uuid: uuid(), sessionId, us, type, sidechain, json: { parentUuid: null, isSidechain: sidechain, userType: 'external', cwd: '/home/dev/app', sessionId, version: '2.0.42', gitBranch: 'main', type, ...body } };
    l.json.uuid = l.uuid;
    l.json.timestamp = iso(l.us, microStamps || chance(0.1));
    all.push(l);
    return l;
  };
  const tokens = (): TreeTruthTokens => {
    const c5 = int(0, 3000);
    const c1 = chance(0.3) ? int(0, 2000) : 0;
    return { input: int(1, 60), output: int(1, 40), cacheRead: int(0, 90_000), cacheCreation: c5 + c1, cache5m: c5, cache1h: c1 };
  };
  const usageJson = (t: TreeTruthTokens) => ({ input_tokens: t.input, output_tokens: t.output, cache_read_input_tokens: t.cacheRead, cache_creation_input_tokens: t.cacheCreation, cache_creation: { ephemeral_5m_input_tokens: t.cache5m, ephemeral_1h_input_tokens: t.cache1h } });
  const assistant = (sessionId: string, messageId: string, requestId: string | undefined, model: string, t: TreeTruthTokens, content: unknown[], sidechain = false) => {
    const l = line(sessionId, 'assistant', { ...(requestId ? { requestId } : {}), message: { id: messageId, type: 'message', role: 'assistant', model, content, usage: usageJson(t) } }, sidechain);
    l.usage = { messageId, ...(requestId ? { requestId } : {}), model, tokens: t };
    return l;
  };
  /** A copy of a line (resume, replay): same uuid and content unless told, maybe another session. */
  const copyOf = (l: Line, over: { sessionId?: string; text?: string } = {}): Line => {
    const json: Record<string, unknown> = { ...l.json, ...(over.sessionId ? { sessionId: over.sessionId } : {}) };
    if (over.text !== undefined && l.type === 'user') json.message = { role: 'user', content: over.text };
    const c: Line = { ...l, sessionId: over.sessionId ?? l.sessionId, json };
    all.push(c);
    return c;
  };

  const project = (i: number) => `-home-dev-app${i % 2}`;
  const mains: { sessionId: string; file: string; lines: Line[] }[] = [];
  for (let s = 0; s < (opts.sessions ?? 3); s++) {
    const sessionId = uuid();
    const file = `${project(s)}/${sessionId}.jsonl`;
    const lines: Line[] = [];
    const agentLines: Line[] = [];
    for (let turn = 0; turn < (opts.turns ?? 4); turn++) {
      lines.push(line(sessionId, 'user', { message: { role: 'user', content: pick(['Fix the bug', '/review now', '<command-name>/init</command-name>', 'Explain this']) } }));
      const messageId = `msg_${hex(20)}`;
      const requestId = chance(0.9) ? `req_${hex(20)}` : undefined;
      const model = pick(MODELS);
      const final = tokens();
      const splits = int(1, 3);
      for (let k = 0; k < splits; k++) {
        const last = k === splits - 1;
        // Earlier snapshots carry a smaller output count: only the last is the response's total.
        const snap = last ? final : { ...final, output: int(0, final.output - 1) };
        // With `outcomes`, half the other final lines become an Edit or Bash use too (from `work`).
        const tool = last && chance(0.5) ? pick(TOOLS) : opts.outcomes && last && work() < 0.5 ? workPick(['Edit', 'Bash']) : undefined;
        const use = tool ? toolUse(tool) : undefined;
        const content = tool
          ? [{ type: 'tool_use', id: `toolu_${hex(20)}`, name: tool, input: use!.input }]
          : [{ type: 'text', text: 'Working.' }];
        const a = assistant(sessionId, messageId, requestId, model, snap, content);
        lines.push(a);
        if (tool) {
          const id = (content[0] as { id: string }).id;
          const failed = chance(0.2);
          const result = use!.rejected
            ? { toolUseResult: 'User rejected tool use', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: REJECTED, is_error: true }] } }
            : { message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'ok', is_error: failed }] } };
          lines.push(line(sessionId, 'user', result));
        }
        if (last && chance(0.4)) {
          // A subagent replays the parent's message on its sidechain: same, another or no requestId.
          const req = pick([requestId, `req_${hex(20)}`, undefined]);
          const copyTokens = chance(0.5) ? final : tokens();
          agentLines.push(assistant(sessionId, messageId, req, model, copyTokens, [{ type: 'text', text: 'replayed' }], true));
        }
      }
      if (chance(0.3)) {
        // The subagent's own work: new message ids, counted.
        agentLines.push(line(sessionId, 'user', { message: { role: 'user', content: 'Explore' } }, true));
        agentLines.push(assistant(sessionId, `msg_${hex(20)}`, `req_${hex(20)}`, 'claude-haiku-4-5-20251001', tokens(), [{ type: 'text', text: 'found' }], true));
      }
      if (chance(0.3)) lines.push(line(sessionId, 'progress', { data: { type: 'hook_progress' } }));
    }
    files.set(file, lines);
    // Old layout: project-level agent-*.jsonl; new layout: <session>/subagents/agent-*.jsonl.
    if (agentLines.length) files.set(chance(0.5) ? `${project(s)}/${sessionId}/subagents/agent-a${hex(6)}.jsonl` : `${project(s)}/agent-a${hex(6)}.jsonl`, agentLines);
    mains.push({ sessionId, file, lines });
  }

  // Resumed sessions: a new file starts with a copy of an earlier file's lines, under the old
  // sessionId or rewritten to the new one (then the smaller sessionId keeps the copy).
  for (const m of mains) {
    if (!chance(0.6)) continue;
    const next = uuid();
    const keepOld = chance(0.5);
    const copied = m.lines.slice(0, int(1, m.lines.length)).map((l) => copyOf(l, keepOld ? {} : { sessionId: next }));
    const own = [line(next, 'user', { message: { role: 'user', content: 'Continue' } }), assistant(next, `msg_${hex(20)}`, `req_${hex(20)}`, pick(MODELS), tokens(), [{ type: 'text', text: 'ok' }])];
    files.set(`${m.file.split('/')[0]}/${next}.jsonl`, [...copied, ...own]);
  }
  // A copy of one uuid that differs in content (the text), written into a resumed session's file
  // under that session's id. (Under the same sessionId both copies would share one Nats-Msg-Id
  // and the stream would keep whichever was published first: see docs/counting-rules.md.)
  const first = mains[0];
  const user = first.lines.find((l) => l.type === 'user');
  if (user && chance(0.7)) {
    const resumed = uuid();
    add(`${first.file.split('/')[0]}/${resumed}.jsonl`, copyOf(user, { text: 'Fix the bug (edited)', sessionId: resumed }));
  }
  // Several sessions in one file: a second session's lines appended to the first's file.
  if (mains.length > 1 && chance(0.5)) {
    const other = uuid();
    first.lines.push(line(other, 'user', { message: { role: 'user', content: 'Side question' } }), assistant(other, `msg_${hex(20)}`, `req_${hex(20)}`, pick(MODELS), tokens(), [{ type: 'text', text: 'answer' }]));
  }

  // Bytes, with the format hazards.
  const out = new Map<string, Buffer>();
  const rejectedIn = new Map<string, number>();
  const names = [...files.keys()].sort();
  const crlf = new Set(names.filter(() => chance(0.2)));
  const bom = new Set(names.filter(() => chance(0.15)));
  const noFinalNewline = new Set(names.filter(() => chance(0.3)));
  const big = rng(opts.seed * 104_729 + 3);
  const oversizedIn = opts.oversized && big() < 0.5 ? names[Math.floor(big() * names.length)] : undefined;
  const render = (name: string, lines: Line[]) => {
    const texts = lines.map((l) => JSON.stringify(l.json));
    rejectedIn.set(name, 0);
    if (chance(0.4)) {
      // Never last: an unterminated last line that is not JSON may still be being written.
      texts.splice(int(0, texts.length - 1), 0, pick(['// a comment line', '{"type":"user","message":', 'not json at all']));
      rejectedIn.set(name, 1);
    }
    if (chance(0.2)) texts.splice(int(0, texts.length - 1), 0, '');
    if (name === oversizedIn) {
      // A pasted blob just above the limit: rejected as too_large unread, except as an unterminated
      // last line, which no reader takes (its bytes were never kept, so it may still be growing).
      const at = big() < 0.35 ? texts.length : Math.floor(big() * (texts.length + 1));
      texts.splice(at, 0, oversizedLine(DEFAULT_MAX_LINE_BYTES + 1 + Math.floor(big() * 64)));
      if (at < texts.length - 1 || !noFinalNewline.has(name)) rejectedIn.set(name, rejectedIn.get(name)! + 1);
    }
    const eol = crlf.has(name) ? '\r\n' : '\n';
    const body = texts.join(eol) + (noFinalNewline.has(name) ? '' : eol);
    return Buffer.concat([bom.has(name) ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(body, 'utf8')]);
  };
  for (const name of names) out.set(name, render(name, files.get(name)!));

  // An in-place rewrite of one main file (as Claude Code does on resume or compaction): a line
  // inserted near the start, so the file grows and keeps its inode. The truth is the final state.
  let rewrite: TranscriptTree['rewrite'];
  const target = mains[mains.length - 1];
  if (chance(0.5) && target.lines.length > 1) {
    const t = tokens();
    target.lines.splice(1, 0, assistant(target.sessionId, `msg_${hex(20)}`, `req_${hex(20)}`, MODELS[0], t, [{ type: 'text', text: 'compacted' }]));
    rewrite = { file: target.file, bytes: render(target.file, target.lines) };
  }
  const rejected = [...rejectedIn.values()].reduce((a, b) => a + b, 0);
  return { seed: opts.seed, files: out, ...(rewrite ? { rewrite } : {}), truth: truthOf(all, files, rejected) };
}

/** A user line of exactly `bytes` bytes (ASCII, so as many characters) whose text is a long paste. */
function oversizedLine(bytes: number): string {
  const head = '{"type":"user","message":{"role":"user","content":"';
  const tail = '"}}';
  return head + 'A'.repeat(bytes - head.length - tail.length) + tail;
}

/** The tree as it is after the rewrite (what a single pass over the final files sees). */
export function finalFiles(tree: TranscriptTree): Map<string, Buffer> {
  const files = new Map(tree.files);
  if (tree.rewrite) files.set(tree.rewrite.file, tree.rewrite.bytes);
  return files;
}

const sum = (t: TreeTruthTokens) => t.input + t.output + t.cacheRead + t.cacheCreation;

/**
 * The counts, from the lines as built: per uuid the kept copy is the earliest, then the smallest
 * sessionId; per response (message id + requestId, else the line) the non-sidechain copy, then
 * the largest total, then the earliest, then the smallest sessionId; a sidechain response whose
 * message id is on a main-chain line is not counted.
 */
function truthOf(all: Line[], files: Map<string, Line[]>, rejected: number): TreeTruth {
  const present = new Set<Line>();
  for (const lines of files.values()) for (const l of lines) present.add(l);
  const lines = all.filter((l) => present.has(l));
  const byUuid = new Map<string, Line>();
  for (const l of lines) {
    const prev = byUuid.get(l.uuid);
    if (!prev || l.us < prev.us || (l.us === prev.us && l.sessionId < prev.sessionId)) byUuid.set(l.uuid, l);
  }
  const responses = new Map<string, Line>();
  const mainIds = new Set<string>();
  for (const l of lines) {
    if (!l.usage) continue;
    if (!l.sidechain) mainIds.add(l.usage.messageId);
    const key = l.usage.requestId ? `${l.usage.messageId}:${l.usage.requestId}` : `line:${l.uuid}`;
    const prev = responses.get(key);
    const better = (a: Line, b: Line) => {
      if (a.sidechain !== b.sidechain) return !a.sidechain;
      const ta = sum(a.usage!.tokens);
      const tb = sum(b.usage!.tokens);
      if (ta !== tb) return ta > tb;
      if (a.us !== b.us) return a.us < b.us;
      return a.sessionId < b.sessionId;
    };
    if (!prev || better(l, prev)) responses.set(key, l);
  }
  const truth: TreeTruth = { rejected, daily: {}, sessions: {} };
  const session = (id: string) =>
    (truth.sessions[id] ??= { user_messages: 0, assistant_messages: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, started_at: '', ended_at: '' });
  const stamps = new Map<string, number[]>();
  for (const l of byUuid.values()) {
    if (l.type === 'user') session(l.sessionId).user_messages++;
    if (l.type === 'assistant') session(l.sessionId).assistant_messages++;
    (stamps.get(l.sessionId) ?? stamps.set(l.sessionId, []).get(l.sessionId)!).push(l.us);
  }
  for (const r of responses.values()) {
    const u = r.usage!;
    if (r.sidechain && mainIds.has(u.messageId)) continue;
    const day = new Date(Math.floor(r.us / 1000)).toISOString().slice(0, 10);
    const d = ((truth.daily[day] ??= {})[u.model] ??= { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cache5m: 0, cache1h: 0 });
    for (const k of Object.keys(d) as (keyof TreeTruthTokens)[]) d[k] += u.tokens[k];
    const s = session(r.sessionId);
    s.input_tokens += u.tokens.input;
    s.output_tokens += u.tokens.output;
    s.cache_read_tokens += u.tokens.cacheRead;
    s.cache_creation_tokens += u.tokens.cacheCreation;
  }
  for (const [id, s] of Object.entries(truth.sessions)) {
    const ts = stamps.get(id) ?? [];
    s.started_at = new Date(Math.floor(Math.min(...ts) / 1000)).toISOString();
    s.ended_at = new Date(Math.floor(Math.max(...ts) / 1000)).toISOString();
  }
  return truth;
}
