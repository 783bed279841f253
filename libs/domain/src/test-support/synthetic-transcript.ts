/**
 * Deterministic synthetic Claude Code transcripts (same seed → same bytes) for tests and benches
 * that must not depend on the shared fixtures. They exercise the counting rules' hard cases:
 * split responses with growing output, tool results before/after (and erroring), slash commands
 * in both spellings, path-like text, `<synthetic>` lines, microsecond and missing timestamps,
 * sidechain subagent files with the parent's sessionId, a resumed file copying history, and
 * malformed lines.
 */

/** mulberry32: tiny, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticFile {
  /** Path relative to a projects root: `<project>/<session>.jsonl` or `<project>/<session>/subagents/agent-x.jsonl`. */
  file: string;
  lines: string[];
}

export interface SyntheticOptions {
  seed: number;
  sessions?: number;
  turnsPerSession?: number;
  /** Start instant, epoch ms. */
  startMs?: number;
}

const MODELS = ['claude-opus-4-5-20251101', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-6'];
const TOOLS = ['Bash', 'Read', 'Edit', 'Write', 'Grep', 'TodoWrite', 'Skill', 'Task', 'mcp__github__create_issue'];

export function syntheticTranscripts(opts: SyntheticOptions): SyntheticFile[] {
  const rand = rng(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const files: SyntheticFile[] = [];
  let t = opts.startMs ?? Date.UTC(2026, 0, 5, 8, 0, 0);
  const stamp = (micro = false) => {
    const iso = new Date(t).toISOString();
    return micro ? iso.replace('Z', `${int(100, 999)}Z`) : iso;
  };

  for (let s = 0; s < (opts.sessions ?? 4); s++) {
    const sessionId = uuid();
    const project = `-home-dev-proj${s % 3}`;
    const cwd = `/home/dev/proj${s % 3}`;
    const main: string[] = [];
    const agent: string[] = [];
    const base = (type: string, sidechain = false) => ({
      parentUuid: null, isSidechain: sidechain, userType: 'external', cwd, sessionId, version: '2.0.42',
      gitBranch: 'main', type, uuid: uuid(), timestamp: stamp(rand() < 0.05),
    });
    main.push(JSON.stringify({ type: 'summary', summary: 'Earlier work', leafUuid: uuid() }));
    main.push(JSON.stringify({ type: 'file-history-snapshot', messageId: uuid(), snapshot: { trackedFileBackups: {} }, isSnapshotUpdate: false }));
    if (rand() < 0.5) main.push('// not json: a comment line someone left');
    for (let turn = 0; turn < (opts.turnsPerSession ?? 6); turn++) {
      t += int(5_000, 400_000) + (rand() < 0.1 ? 3_600_000 : 0);
      const r = rand();
      const text = r < 0.15 ? '<command-message>init</command-message>\n<command-name>init</command-name>' : r < 0.3 ? '/review please' : r < 0.4 ? '/Users/dev/notes.txt looks wrong' : `Please fix bug ${int(1, 999)}`;
      main.push(JSON.stringify({ ...base('user'), message: { role: 'user', content: text }, ...(rand() < 0.1 ? { isMeta: true } : {}) }));
      const model = pick(MODELS);
      const requestId = `req_${hex(24)}`;
      const messageId = `msg_${hex(24)}`;
      const usage = { input_tokens: int(1, 50), cache_creation_input_tokens: int(0, 20_000), cache_read_input_tokens: int(0, 150_000), output_tokens: int(1, 40), service_tier: 'standard' };
      const split = int(1, 3);
      const pendingResults: { id: string; name: string }[] = [];
      for (let k = 0; k < split; k++) {
        t += int(200, 4_000);
        const last = k === split - 1;
        const content: unknown[] = [];
        if (!last || rand() < 0.3) content.push({ type: 'text', text: 'Working on it.' });
        else {
          const name = pick(TOOLS);
          const id = `toolu_${hex(24)}`;
          const input = name === 'Skill' ? { skill: pick(['pdf', 'review'] as const) } : name === 'Task' ? { subagent_type: pick(['Explore', 'general-purpose'] as const), prompt: 'secret' } : name === 'TodoWrite' ? { todos: [{ content: 'a', status: 'completed' }, { content: 'b', status: pick(['pending', 'completed'] as const) }] } : { command: 'ls' };
          content.push({ type: 'tool_use', id, name, input });
          pendingResults.push({ id, name });
        }
        const grown = { ...usage, output_tokens: last ? usage.output_tokens + int(50, 900) : usage.output_tokens, cache_creation: { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 } };
        main.push(JSON.stringify({ ...base('assistant'), requestId, message: { id: messageId, type: 'message', role: 'assistant', model, content, stop_reason: null, usage: grown } }));
      }
      for (const p of pendingResults) {
        t += int(100, 30_000);
        const isError = rand() < 0.2;
        const result = JSON.stringify({ ...base('user'), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: p.id, content: isError ? 'Error: boom' : 'ok', is_error: isError }] }, toolUseResult: p.name === 'Edit' ? { structuredPatch: [{ lines: ['-a', '+b', ' c'] }] } : 'ok' });
        // Sometimes the result is written before its use (out-of-order files, batching).
        if (rand() < 0.2) main.splice(main.length - 1, 0, result);
        else main.push(result);
        if (p.name === 'Task') {
          t += int(1_000, 9_000);
          agent.push(JSON.stringify({ ...base('user', true), agentId: 'a1b2c3d', message: { role: 'user', content: 'Explore the repo' } }));
          agent.push(JSON.stringify({ ...base('assistant', true), agentId: 'a1b2c3d', requestId: `req_${hex(24)}`, message: { id: `msg_${hex(24)}`, role: 'assistant', model: 'claude-haiku-4-5-20251001', content: [{ type: 'text', text: 'found' }], usage: { input_tokens: int(1, 9), output_tokens: int(1, 99), cache_read_input_tokens: int(0, 9_000), cache_creation_input_tokens: 0 } } }));
        }
      }
      if (rand() < 0.1) main.push(JSON.stringify({ ...base('assistant'), message: { id: `msg_${hex(8)}`, role: 'assistant', model: '<synthetic>', content: [{ type: 'text', text: 'No response requested.' }], usage: { input_tokens: 0, output_tokens: 0 } } }));
      if (rand() < 0.05) main.push(JSON.stringify({ ...base('assistant'), timestamp: undefined, requestId: `req_${hex(8)}`, message: { id: `msg_${hex(8)}`, role: 'assistant', model, content: [], usage: { input_tokens: 3, output_tokens: 'lots', cache_read_input_tokens: true } } }));
      if (rand() < 0.3) main.push(JSON.stringify({ ...base('progress'), data: { type: 'hook_progress' } }));
    }
    files.push({ file: `${project}/${sessionId}.jsonl`, lines: main });
    if (agent.length) files.push({ file: `${project}/${sessionId}/subagents/agent-a1b2c3d.jsonl`, lines: agent });
    if (s > 0 && rand() < 0.5) {
      // A resumed session: a new file whose history copies the previous file's lines verbatim.
      const prev = files.filter((f) => !f.file.includes('/subagents/')).at(-2);
      if (prev) files.push({ file: `${prev.file.split('/')[0]}/${uuid()}.jsonl`, lines: prev.lines.slice(0, Math.ceil(prev.lines.length / 2)) });
    }
  }
  return files;
}
