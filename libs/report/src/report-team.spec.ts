/**
 * `ccpulse report team` over generated transcripts of one person: the row equals the sum of the
 * reducer's `sessionHours` (what the server's read model stores), and `--format anthropic` says
 * the same in Anthropic's field names.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mergeOutcomes, sessionHours, zeroOutcomes } from '@ccpulse/domain';
import { fold } from '../../domain/src/test-support/fold';
import { teamTranscripts } from '../../domain/src/test-support/team-transcript';
import { run } from './report.command';

async function report(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env, nowMs: () => Date.UTC(2026, 3, 1) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('ccpulse report team', () => {
  let root: string;
  const files = teamTranscripts({ seed: 11, users: ['dana'], sessionsPerUser: 4, turnsPerSession: 10 });
  const env = () => ({ CLAUDE_CONFIG_DIR: root, CCPULSE_USER: 'dana', CCPULSE_REPORT_THREADS: '1' });
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ccpulse-team-'));
    for (const f of files) {
      mkdirSync(dirname(join(root, 'projects', f.file)), { recursive: true });
      writeFileSync(join(root, 'projects', f.file), f.lines.join('\n') + '\n');
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('--json: one row under CCPULSE_USER, the sum of the session hours and the kept responses', async () => {
    const { code, stdout } = await report(['team', '--json', '-z', 'UTC', '--mode', 'calculate'], env());
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    const folded = fold(files.map((f) => ({ file: f.file, lines: f.lines })));
    const hours = [...folded.states.values()].flatMap(sessionHours);
    const outcomes = hours.reduce((a, h) => mergeOutcomes(a, h.outcomes), zeroOutcomes());
    expect(json.team).toEqual([
      {
        user: 'dana',
        sessions: 4,
        prompts: hours.reduce((a, h) => a + h.prompts, 0),
        activeSeconds: Math.trunc(hours.reduce((a, h) => a + h.activeMs, 0) / 1000),
        totalTokens: folded.records.reduce((a, r) => a + r.total, 0),
        costUsd: expect.any(Number),
        linesAdded: outcomes.linesAdded,
        linesRemoved: outcomes.linesRemoved,
        commits: outcomes.commits,
        pullRequests: outcomes.pullRequests,
        editsAccepted: outcomes.editsAccepted,
        editsRejected: outcomes.editsRejected,
      },
    ]);
    expect(json.team[0].linesAdded).toBeGreaterThan(0);
    expect(json.team[0].editsAccepted + json.team[0].editsRejected).toBeGreaterThan(0);
  });

  it('--format anthropic: per day, Anthropic field names, cost in cents, adding up to the row', async () => {
    const [{ stdout: plain }, { code, stdout }] = [
      await report(['team', '--json', '-z', 'UTC', '--mode', 'calculate'], env()),
      await report(['team', '--format', 'anthropic', '-z', 'UTC', '--mode', 'calculate'], env()),
    ];
    expect(code).toBe(0);
    const row = JSON.parse(plain).team[0];
    const { data, has_more } = JSON.parse(stdout);
    expect(has_more).toBe(false);
    expect(data.length).toBeGreaterThan(0);
    expect(Object.keys(data[0])).toEqual(['date', 'actor', 'core_metrics', 'tool_actions', 'model_breakdown']);
    expect(data[0].date).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
    expect(data[0].actor).toEqual({ type: 'user_actor', email_address: 'dana' });
    expect(Object.keys(data[0].tool_actions).sort()).toEqual(['edit_tool', 'multi_edit_tool', 'notebook_edit_tool', 'write_tool']);
    const sum = (f: (d: any) => number) => data.reduce((a: number, d: any) => a + f(d), 0);
    expect(sum((d) => d.core_metrics.num_sessions)).toBe(row.sessions);
    expect(sum((d) => d.core_metrics.lines_of_code.added)).toBe(row.linesAdded);
    expect(sum((d) => d.core_metrics.commits_by_claude_code)).toBe(row.commits);
    expect(sum((d) => Object.values(d.tool_actions as Record<string, { rejected: number }>).reduce((a, t) => a + t.rejected, 0))).toBe(row.editsRejected);
    const tokens = sum((d) => d.model_breakdown.reduce((a: number, m: any) => a + m.tokens.input + m.tokens.output + m.tokens.cache_read + m.tokens.cache_creation, 0));
    expect(tokens).toBe(row.totalTokens);
    expect(Math.abs(sum((d) => d.model_breakdown.reduce((a: number, m: any) => a + m.estimated_cost.amount, 0)) - row.costUsd * 100)).toBeLessThan(data.length * 2);
  });

  it('refuses --format on other reports and unknown formats', async () => {
    expect((await report(['daily', '--format', 'anthropic'], env())).code).toBe(2);
    expect((await report(['team', '--format', 'csv'], env())).code).toBe(2);
  });
});
