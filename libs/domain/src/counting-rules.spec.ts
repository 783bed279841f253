/** Hand-made lines, one per counting rule (counting-rules.md), given → when → then. */
import { parseLine } from './entry/parse-line';
import { toEntry } from './entry/to-entry';
import { parseTimestamp } from './entry/timestamp';
import { classifyEvents } from './events/classify-events';
import { attributionFor, buildCatalog } from './events/attribution';
import { fold } from './test-support/fold';
import { usageRecordOf, preferCopy, type UsageRecord } from './usage/usage-record';
import { entryKey, messageKey } from './usage/entry-key';
import { UsageLedger } from './usage/usage-ledger';

const S = 'sess-1';
let n = 0;
const line = (o: Record<string, unknown>) => JSON.stringify({ sessionId: S, uuid: `u${++n}`, cwd: '/w', ...o });
const assistant = (o: { id?: string; req?: string; ts?: string; model?: string; usage?: Record<string, unknown>; content?: unknown[]; [k: string]: unknown }) => {
  const { id = 'msg_1', req = 'req_1', ts = '2026-01-05T10:00:00.000Z', model = 'claude-sonnet-4-5-20250929', usage = { input_tokens: 1, output_tokens: 1 }, content = [], ...rest } = o;
  return line({ type: 'assistant', requestId: req, timestamp: ts, message: { id, model, role: 'assistant', usage, content }, ...rest });
};
const user = (content: unknown, o: Record<string, unknown> = {}) => line({ type: 'user', timestamp: '2026-01-05T10:00:01.000Z', message: { role: 'user', content }, ...o });
const entry = (text: string, file = `p/${S}.jsonl`) => {
  const p = parseLine(text);
  if (!p.ok) throw new Error('bad test line');
  return toEntry(p.value, { file });
};
const one = (lines: string[], file = `p/${S}.jsonl`) => fold([{ file, lines }]);

describe('lines', () => {
  it('rejects malformed lines as values and keeps the valid lines around them', () => {
    const f = one(['{"type":"user"', '[1,2]', '// comment', '', user('hi'), 'null']);
    expect(f.rejected).toBe(4);
    expect(f.summaries.get(S)?.userMessages).toBe(1);
    expect(parseLine('{"a":').ok).toBe(false);
    expect(parseLine('[1]')).toMatchObject({ ok: false, reason: 'not_object' });
    expect(parseLine(Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false, reason: 'invalid_utf8' });
  });

  it('keeps microsecond timestamps exactly, reads a zone-less one as UTC, and never stamps "now"', () => {
    expect(parseTimestamp('2026-01-05T10:00:00.123456Z')).toBeCloseTo(Date.UTC(2026, 0, 5, 10) + 123.456, 6);
    expect(parseTimestamp('2026-01-05T10:00:00')).toBe(Date.UTC(2026, 0, 5, 10));
    expect(parseTimestamp('2026-01-05T12:00:00+02:00')).toBe(Date.UTC(2026, 0, 5, 10));
    const e = entry(line({ type: 'user', message: { role: 'user', content: 'x' } }));
    expect(e.ts).toBeUndefined();
    const f = one([assistant({ ts: '2026-01-05T10:00:00.5Z', usage: { input_tokens: 5 } }), assistant({ id: 'm2', ts: '2026-01-05T10:00:00.250001Z', usage: { input_tokens: 7 } })]);
    expect(f.records.map((r) => r.ts)).toEqual([Date.UTC(2026, 0, 5, 10) + 500, Date.UTC(2026, 0, 5, 10) + 250.001]);
  });

  it('takes the session from the path when the line has none (subagent files belong to the parent)', () => {
    expect(entry(JSON.stringify({ type: 'file-history-snapshot' }), `p/${S}/subagents/agent-1.jsonl`).sessionId).toBe(S);
    expect(entry(JSON.stringify({ type: 'mode' })).kind).toBe('unknown');
  });
});

describe('tokens', () => {
  it('counts a split response once, with its largest (final) snapshot', () => {
    const f = one([
      assistant({ usage: { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 100 } }),
      assistant({ ts: '2026-01-05T10:00:02Z', usage: { input_tokens: 10, output_tokens: 350, cache_read_input_tokens: 100 } }),
      assistant({ ts: '2026-01-05T10:00:01Z', usage: { input_tokens: 10, output_tokens: 40, cache_read_input_tokens: 100 } }),
    ]);
    expect(f.records).toHaveLength(1);
    expect(f.records[0].tokens).toMatchObject({ input: 10, output: 350, cacheRead: 100 });
    expect(f.summaries.get(S)?.assistantMessages).toBe(3);
  });

  it('counts a response copied into a resumed session once, owned by the earliest copy', () => {
    const original = assistant({ usage: { input_tokens: 10, output_tokens: 5 } });
    const copy = JSON.stringify({ ...JSON.parse(original), sessionId: 'sess-0', uuid: 'other', timestamp: '2026-01-06T00:00:00Z' });
    const f = fold([{ file: `p/${S}.jsonl`, lines: [original] }, { file: 'p/sess-0.jsonl', lines: [copy] }]);
    expect(f.records).toHaveLength(1);
    expect(f.records[0].sessionId).toBe(S);
    expect(f.summaries.get(S)?.outputTokens).toBe(5);
    expect(f.summaries.get('sess-0')?.outputTokens).toBe(0);
  });

  it('does not count a sidechain replay of the parent message, whatever its size or order', () => {
    const parent = assistant({ usage: { input_tokens: 10, output_tokens: 5 } });
    const replay = assistant({ req: 'req_side', isSidechain: true, usage: { input_tokens: 10, output_tokens: 500 } });
    for (const lines of [[parent, replay], [replay, parent]]) {
      const f = one(lines);
      expect(f.records.map((r) => r.tokens.output)).toEqual([5]);
    }
    const a: UsageRecord = usageRecordOf(entry(parent), 'a')!;
    const b: UsageRecord = { ...a, isSidechain: true, total: 1e9, entryKey: 'b' };
    expect(preferCopy(a, b)).toBe(a);
    expect(preferCopy(b, a)).toBe(a);
  });

  it('breaks ties by earliest timestamp, then smallest sessionId, in any order', () => {
    const base = usageRecordOf(entry(assistant({})), 'k')!;
    const x = { ...base, sessionId: 'b', ts: 5 };
    const y = { ...base, sessionId: 'a', ts: 5 };
    const z = { ...base, sessionId: 'c', ts: 4 };
    for (const order of [[x, y, z], [z, y, x], [y, z, x]]) {
      const l = new UsageLedger();
      order.forEach((r) => l.add(r));
      expect([...l.records()][0]).toBe(z);
    }
    expect(preferCopy(x, y)).toBe(y);
  });

  it('ignores <synthetic> lines and non-integer token values (field by field)', () => {
    expect(usageRecordOf(entry(assistant({ model: '<synthetic>' })), 'k')).toBeUndefined();
    const r = usageRecordOf(entry(assistant({ usage: { input_tokens: true, output_tokens: '12', cache_read_input_tokens: 1.5, cache_creation_input_tokens: null, extra: 1 } })), 'k')!;
    expect(r.tokens).toEqual({ input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cacheCreation5m: 0, cacheCreation1h: 0 });
    const s = usageRecordOf(entry(assistant({ usage: { input_tokens: 3, cache_creation_input_tokens: 30, cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 } } })), 'k')!;
    expect(s.tokens).toMatchObject({ input: 3, cacheCreation: 30, cacheCreation5m: 10, cacheCreation1h: 20 });
    expect(usageRecordOf(entry(assistant({ usage: { cache_creation_input_tokens: 30 } })), 'k')!.tokens.cacheCreation5m).toBe(30);
  });

  it('keys responses by message.id:requestId, else by the entry key (uuid, else user:file:offset)', () => {
    const e = entry(assistant({ id: 'msg_9', req: 'req_9' }));
    expect(messageKey(e)).toBe('msg_9:req_9');
    const noReq = entry(JSON.stringify({ type: 'assistant', message: { id: 'm', model: 'x', usage: {} } }));
    expect(messageKey(noReq)).toBeUndefined();
    expect(entryKey(noReq, 'ann', 'p/a.jsonl', 42)).toBe('ann:p/a.jsonl:42');
    expect(usageRecordOf(noReq, 'ann:p/a.jsonl:42')!.key).toBe('ann:p/a.jsonl:42');
    expect(entryKey(e, 'ann', 'p/a.jsonl', 42)).toBe(e.uuid);
  });
});

describe('events', () => {
  it('classifies Skill, Task/Agent, mcp__ and plain tools', () => {
    const e = entry(assistant({ content: [
      { type: 'tool_use', id: 't1', name: 'Skill', input: { skill: 'pdf' } },
      { type: 'tool_use', id: 't2', name: 'Task', input: { subagent_type: 'Explore', prompt: 'secret' } },
      { type: 'tool_use', id: 't3', name: 'Agent', input: {} },
      { type: 'tool_use', id: 't4', name: 'mcp__github__create_issue', input: {} },
      { type: 'tool_use', name: 'Bash', input: { command: 'rm -rf /' } },
    ] }));
    expect(classifyEvents(e, 'ek')).toEqual([
      { key: 't1', eventType: 'tool_use', toolName: 'Skill', skillName: 'pdf', toolUseId: 't1' },
      { key: 't2', eventType: 'subagent', toolName: 'Task', subagentType: 'Explore', toolUseId: 't2' },
      { key: 't3', eventType: 'subagent', toolName: 'Agent', subagentType: 'Agent', toolUseId: 't3' },
      { key: 't4', eventType: 'mcp_call', toolName: 'mcp__github__create_issue', mcpServer: 'github', toolUseId: 't4' },
      { key: 'ek#4', eventType: 'tool_use', toolName: 'Bash' },
    ]);
    expect(JSON.stringify(e)).not.toContain('secret');
    expect(JSON.stringify(e)).not.toContain('rm -rf');
  });

  it('reads slash commands from <command-name> tags (with or without /) and leading /name, never from paths', () => {
    const cmds = (content: unknown) => classifyEvents(entry(user(content)), 'k').map((x) => x.commandName);
    expect(cmds('<command-message>init</command-message>\n<command-name>init</command-name>')).toEqual(['init']);
    expect(cmds('<command-name>/review</command-name><command-args>/tmp/x</command-args>')).toEqual(['review']);
    expect(cmds('/compact keep the tests')).toEqual(['compact']);
    expect(cmds('/help')).toEqual(['help']);
    expect(cmds('/Users/me/x is broken')).toEqual([]);
    expect(cmds('/tmp/a.txt')).toEqual([]);
    expect(cmds('/help.')).toEqual([]);
    expect(cmds([{ type: 'text', text: '/mcp' }, { type: 'image' }])).toEqual(['mcp']);
  });

  it('joins a tool error and duration whether the result comes before or after the use', () => {
    const use = assistant({ content: [{ type: 'tool_use', id: 'tx', name: 'Bash', input: {} }] });
    const result = user([{ type: 'tool_result', tool_use_id: 'tx', is_error: true, content: 'no' }], { timestamp: '2026-01-05T10:00:04Z' });
    for (const lines of [[use, result], [result, use]]) {
      const s = one(lines).states.get(S)!;
      expect(s.toolErrors).toBe(1);
      expect(s.tools.Bash).toEqual({ calls: 1, errors: 1, durationMsSum: 4000, durationCount: 1 });
      expect(s.pendingUses).toEqual({});
      expect(s.pendingResults).toEqual({});
    }
    const legacy = JSON.stringify({ type: 'tool_use_result', toolUseId: 'tx', is_error: true, sessionId: S, timestamp: '2026-01-05T10:00:09Z' });
    expect(one([use, legacy]).summaries.get(S)?.toolErrors).toBe(1);
  });

  it('counts a tool call copied onto a line with another uuid once', () => {
    const a = assistant({ content: [{ type: 'tool_use', id: 'dup', name: 'Read', input: {} }] });
    const b = JSON.stringify({ ...JSON.parse(a), uuid: 'copy', timestamp: '2026-01-05T10:00:00.5Z' });
    expect(one([b, a]).summaries.get(S)?.toolCalls).toBe(1);
  });

  it('attributes skills, agents and commands: curated over flea, else builtin', () => {
    const catalog = buildCatalog({ skills: [{ name: 'pdf', source: 'flea', refId: 'f1' }, { name: 'pdf', source: 'curated', refId: 'c1' }], agents: [{ name: 'Explore', source: 'flea' }] });
    expect(attributionFor({ key: 'a', eventType: 'tool_use', toolName: 'Skill', skillName: 'pdf' }, catalog)).toEqual({ kind: 'skill', name: 'pdf', source: 'curated', refId: 'c1' });
    expect(attributionFor({ key: 'b', eventType: 'subagent', subagentType: 'Explore' }, catalog)).toEqual({ kind: 'agent', name: 'Explore', source: 'flea' });
    expect(attributionFor({ key: 'c', eventType: 'slash_command', commandName: 'init' }, catalog)).toEqual({ kind: 'command', name: 'init', source: 'builtin' });
    expect(attributionFor({ key: 'd', eventType: 'tool_use', toolName: 'Bash' }, catalog)).toBeUndefined();
  });
});

describe('session summary', () => {
  it('counts prompts (not meta, not tool results, not command output) and skips snapshot-only sessions', () => {
    const f = one([
      user('fix it'),
      user('<local-command-stdout>done</local-command-stdout>'),
      user('Caveat: …', { isMeta: true }),
      user([{ type: 'tool_result', tool_use_id: 'q', content: 'ok' }]),
      user('This session is being continued…', { isCompactSummary: true }),
      user('<command-message>init</command-message>\n<command-name>/init</command-name>'),
    ]);
    expect(f.summaries.get(S)).toMatchObject({ userMessages: 6, prompts: 2, slashCommands: 1 });
    expect(one([JSON.stringify({ type: 'file-history-snapshot' })], 'p/only.jsonl').summaries.size).toBe(0);
  });

  it('active time splits on gaps over 600 s and truncates; primary model ignores <synthetic> and ties to the smaller name', () => {
    const f = one([
      assistant({ id: 'a', ts: '2026-01-05T10:00:00Z', model: 'b-model' }),
      assistant({ id: 'b', ts: '2026-01-05T10:09:59Z', model: 'a-model' }),
      assistant({ id: 'c', ts: '2026-01-05T10:20:00Z', model: '<synthetic>' }),
      assistant({ id: 'd', ts: '2026-01-05T10:20:01.5Z', model: '<synthetic>' }),
    ]);
    const s = f.summaries.get(S)!;
    expect(s.activeSeconds).toBe(600); // 599 + 1.5, the 601 s gap split off
    expect(s.wallSeconds).toBe(1201);
    expect(s.primaryModel).toBe('a-model');
    expect(s.startedAt).toBe('2026-01-05T10:00:00.000Z');
  });
});
