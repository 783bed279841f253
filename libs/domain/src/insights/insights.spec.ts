import fc from 'fast-check';
import type { TokenCounts } from '../entry/entry';
import { toEntry } from '../entry/to-entry';
import { addOutcome, zeroOutcomes } from '../outcomes/outcome-counts';
import { evolveSession, initialSessionState, outcomeBucketKey } from '../session/session-state';
import type { UsageRecord } from '../usage/usage-record';
import { buildBlocks } from './blocks';
import { costProjection } from './cost-projection';
import { formatSpan, sessionInsights } from './session-insights';
import { addToTimeline, initialTimeline, timelinePoints } from './timeline';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 8, 30);
const tok = (input: number): TokenCounts => ({ input, output: 0, cacheRead: 0, cacheCreation: 0, cacheCreation5m: 0, cacheCreation1h: 0 });
const rec = (ts: number, input = 1_000_000, model = 'claude-haiku-4-5'): UsageRecord => ({ key: `k${ts}`, entryKey: `e${ts}`, ts, model, isSidechain: false, tokens: tok(input), total: input });

describe('timeline', () => {
  it('stays under 500 power-of-two buckets and does not depend on arrival order', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 30 * 24 * 60 }), { minLength: 1, maxLength: 2000 }), (minutes) => {
      const a = initialTimeline();
      const b = initialTimeline();
      minutes.forEach((m) => addToTimeline(a, { ts: T0 + m * 60_000, total: 1 }, 0));
      [...minutes].reverse().forEach((m) => addToTimeline(b, { ts: T0 + m * 60_000, total: 1 }, 0));
      expect(Object.keys(a.buckets).length).toBeLessThanOrEqual(500);
      expect(Math.log2(a.bucketMs / 60_000) % 1).toBe(0);
      expect(a).toEqual(b);
      expect(timelinePoints(a).at(-1)!.cumulativeTokens).toBe(minutes.length);
    }), { numRuns: 40 });
  });
});

describe('blocks', () => {
  it('starts at the first message floored to the hour and splits after 5 h or a gap over 5 h', () => {
    const blocks = buildBlocks([rec(T0), rec(T0 + 4 * H), rec(T0 + 4.6 * H), rec(T0 + 11 * H)], { nowMs: T0 + 12 * H });
    expect(blocks.map((b) => [b.start, b.messages, b.isActive])).toEqual([
      ['2026-01-05T08:00:00.000Z', 2, false],
      ['2026-01-05T13:00:00.000Z', 1, false],
      ['2026-01-05T19:00:00.000Z', 1, true],
    ]);
    expect(blocks[0].costUsd).toBeCloseTo(2, 9);
    expect(blocks[0].tokensPerMinute).toBeCloseTo(2_000_000 / 240, 6);
    expect(blocks[0].usdPerHour).toBeCloseTo(0.5, 9);
  });
});

describe('session insights', () => {
  it('builds model and tool tables, efficiency, todo ETA, and a projection to a budget', () => {
    const state = initialSessionState('s');
    state.tools = { Edit: { calls: 4, errors: 1, durationMsSum: 3000, durationCount: 3 }, Bash: { calls: 1, errors: 0, durationMsSum: 0, durationCount: 0 } };
    // A Write that created a 12-line file (no patch) and an Edit whose patch is +4 −3, in two hours.
    state.edits = { successful: 2, patchLines: 7 };
    state.outcomes = {
      [outcomeBucketKey(T0 - (T0 % H), 'claude-haiku-4-5')]: addOutcome(zeroOutcomes(), { name: 'Write', lines: { added: 12, removed: 0 } }, { isError: false }),
      [outcomeBucketKey(T0 - (T0 % H) + H, 'claude-haiku-4-5')]: addOutcome(zeroOutcomes(), { name: 'Edit' }, { isError: false, patch: { added: 4, removed: 3 } }),
    };
    state.todos = { firstTs: T0, ts: T0 + H, done: 2, total: 6 };
    state.activity = [[T0, T0 + H]];
    state.firstTs = T0;
    state.lastTs = T0 + H;
    state.prompts = 2;
    const insights = sessionInsights(state, [rec(T0), rec(T0 + 10 * 60_000, 1_000_000, 'claude-opus-4-5')], { nowMs: T0 + 20 * 60_000 });
    expect(insights.models.map((m) => [m.model, m.messages, m.costUsd])).toEqual([['claude-opus-4-5', 1, 5], ['claude-haiku-4-5', 1, 1]]);
    expect(insights.tools[0]).toEqual({ name: 'Edit', calls: 4, errors: 1, failureRate: 0.25, avgDurationMs: 1000 });
    expect(insights.tools[1].avgDurationMs).toBeUndefined();
    expect(insights.efficiency).toMatchObject({ successfulEdits: 2, patchLines: 7, linesAdded: 16, linesRemoved: 3, changedLines: 19 });
    expect(insights.efficiency.tokensPerChange).toBeCloseTo(2_000_000 / 19, 6);
    expect(insights.progress).toEqual({ done: 2, total: 6, donePerHour: 2, etaAt: new Date(T0 + 3 * H).toISOString() });
    expect(insights.summary).toContain('2/6 todos done');
    const p = costProjection(insights, 20, { nowMs: T0 + 30 * 60_000, windowMs: H });
    expect(p.spentUsd).toBeCloseTo(6, 9);
    expect(p.usdPerHour).toBeCloseTo(6, 9);
    expect(p.hoursToExhaust).toBeCloseTo(14 / 6, 9);
    expect(costProjection(insights.timelineState, 20, { nowMs: T0 + 10 * H }).hoursToExhaust).toBeUndefined();
  });
});

describe('session insights: one definition per number', () => {
  const resumed = () => {
    const state = initialSessionState('r');
    // Two hours of work in January, then one more hour resumed in June.
    state.activity = [[T0, T0 + 2 * H], [T0 + 150 * 24 * H, T0 + 150 * 24 * H + H]];
    state.firstTs = T0;
    state.lastTs = T0 + 150 * 24 * H + H;
    state.todos = { firstTs: T0, ts: T0 + 150 * 24 * H + H, done: 3, total: 6 };
    state.toolCalls = 111;
    state.subagentDispatches = 6;
    state.mcpCalls = 2;
    state.edits = { successful: 14, patchLines: 0 };
    return state;
  };

  it('paces todos over active time, not the months between, and gives no ETA once the session is idle', () => {
    const end = T0 + 150 * 24 * H + H;
    const live = sessionInsights(resumed(), [rec(T0)], { nowMs: end + 60_000 });
    expect(live.progress).toEqual({ done: 3, total: 6, donePerHour: 1, etaAt: new Date(end + 3 * H).toISOString() });
    const idle = sessionInsights(resumed(), [rec(T0)], { nowMs: end + 2 * H });
    expect(idle.progress).toEqual({ done: 3, total: 6, donePerHour: 1 });
    expect(idle.summary).toMatch(/3\/6 todos done\.$/);
  });

  it('has no tokens-per-line figure when no changed line was recorded', () => {
    const i = sessionInsights(resumed(), [rec(T0)], { nowMs: T0 });
    expect(i.efficiency).toMatchObject({ successfulEdits: 14, patchLines: 0, linesAdded: 0, linesRemoved: 0, changedLines: 0 });
    expect(i.efficiency.tokensPerChange).toBeUndefined();
    expect(i.summary).not.toContain('per changed line');
  });

  it('counts the lines of a Write that created a file, as the outcome metrics (and the Team page) do', () => {
    const state = initialSessionState('w');
    const at = '2026-01-05T08:30:00.000Z';
    const assistant = {
      type: 'assistant', sessionId: 'w', uuid: 'w-1', timestamp: at, cwd: '/home/dev/shop',
      message: { id: 'msg_w1', role: 'assistant', model: 'claude-haiku-4-5', content: [{ type: 'tool_use', id: 'toolu_w1', name: 'Write', input: { file_path: '/home/dev/shop/README.md', content: '# Shop\n\nRun it.\n' } }] },
    };
    const user = {
      type: 'user', sessionId: 'w', uuid: 'w-2', parentUuid: 'w-1', timestamp: at, cwd: '/home/dev/shop',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_w1', content: 'File created successfully at: /home/dev/shop/README.md' }] },
      toolUseResult: { type: 'create', filePath: '/home/dev/shop/README.md', content: '# Shop\n\nRun it.\n', structuredPatch: [] },
    };
    for (const line of [assistant, user]) evolveSession(state, toEntry(line));
    const i = sessionInsights(state, [rec(T0, 300)], { nowMs: T0 });
    expect(i.efficiency).toMatchObject({ successfulEdits: 1, patchLines: 0, linesAdded: 3, linesRemoved: 0, changedLines: 3, tokensPerChange: 100 });
    expect(i.summary).toContain('100 tokens per changed line');
  });

  it('writes the summary with the header\'s definitions: tool calls without dispatches, active time over the span in days', () => {
    const i = sessionInsights(resumed(), [rec(T0)], { nowMs: T0 });
    expect(i.summary).toContain('111 tool calls (0 failed); 6 subagent dispatches; 2 MCP calls');
    expect(i.summary).toContain('3h active over a 150d 1h span');
    expect(formatSpan(8896 * H + 47 * 60_000)).toBe('370d 16h');
    expect(formatSpan(3 * H + 20 * 60_000)).toBe('3h 20m');
  });
});

