import { toEntry } from '../entry/to-entry';
import { usageRecordOf } from '../usage/usage-record';
import { evolveSession, initialSessionState } from './session-state';
import { summarizeSession } from './session-summary';

const line = (cwd: string, ts: string, extra: Record<string, unknown> = {}) =>
  toEntry({ type: 'user', uuid: `u-${ts}`, sessionId: 's1', timestamp: ts, cwd, message: { role: 'user', content: 'hello' }, ...extra });

describe('a session run in a subagent worktree', () => {
  it('counts towards the parent project and keeps the worktree as a detail', () => {
    const state = initialSessionState('s1');
    evolveSession(state, line('/src/shop/.claude/worktrees/agent-7f3a', '2026-11-20T10:00:00Z'));
    evolveSession(state, line('/src/shop', '2026-11-20T10:05:00Z'));
    expect(summarizeSession(state)).toMatchObject({ project: '/src/shop', worktree: 'agent-7f3a' });
  });

  it('has no worktree when its earliest line ran in the project itself', () => {
    const state = initialSessionState('s1');
    evolveSession(state, line('/src/shop/.claude/worktrees/agent-7f3a', '2026-11-20T10:05:00Z'));
    evolveSession(state, line('/src/shop', '2026-11-20T10:00:00Z'));
    const summary = summarizeSession(state)!;
    expect(summary.project).toBe('/src/shop');
    expect(summary.worktree).toBeUndefined();
  });

  it('attributes its responses\' usage to the parent project', () => {
    const entry = toEntry({
      type: 'assistant', uuid: 'a1', sessionId: 's1', timestamp: '2026-11-20T10:00:00Z', cwd: '/src/shop/.claude/worktrees/agent-7f3a', requestId: 'r1',
      message: { id: 'm1', model: 'claude-sonnet-4-20250514', role: 'assistant', content: [], usage: { input_tokens: 10, output_tokens: 5 } },
    });
    expect(usageRecordOf(entry, 'k1')?.project).toBe('/src/shop');
  });
});
