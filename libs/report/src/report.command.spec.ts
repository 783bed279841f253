import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SESSION_COUNTS } from '@ccpulse/domain';
import { syntheticTranscripts } from '../../domain/src/test-support/synthetic-transcript';
import { fold } from '../../domain/src/test-support/fold';
import { corpora } from '../../domain/src/test-support/corpora';
import { run } from './report.command';

async function report(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env, nowMs: () => Date.UTC(2026, 0, 6) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('ccpulse report on synthetic transcripts', () => {
  let root: string;
  const files = syntheticTranscripts({ seed: 42, sessions: 6, turnsPerSession: 8, startMs: Date.UTC(2026, 0, 4, 22) });
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ccpulse-report-'));
    for (const f of files) {
      mkdirSync(dirname(join(root, 'projects', f.file)), { recursive: true });
      writeFileSync(join(root, 'projects', f.file), f.lines.join('\n') + '\n');
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('daily --json: the domain fold, per UTC day, with rejected lines on stderr (file:line)', async () => {
    const { code, stdout, stderr } = await report(['daily', '--json', '-z', 'UTC'], { CLAUDE_CONFIG_DIR: root });
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    const expected = fold(files);
    expect(json.rejectedLines).toBe(expected.rejected);
    expect(stderr.split('\n').filter((l) => l.includes('skipped line')).length).toBe(expected.rejected);
    expect(stderr).toMatch(/\.jsonl:\d+: skipped line \(malformed_json/);
    const timed = expected.records.filter((r) => r.ts !== undefined);
    expect(json.totals.outputTokens).toBe(timed.reduce((a, r) => a + r.tokens.output, 0));
    expect(json.totals.cacheReadTokens).toBe(timed.reduce((a, r) => a + r.tokens.cacheRead, 0));
    const row = json.daily[0];
    expect(Object.keys(row)).toEqual(['date', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'cacheCreation5mTokens', 'cacheCreation1hTokens', 'totalTokens', 'costUsd', 'models']);
    expect(row.models[0]).toHaveProperty('model');
    expect(json.daily.reduce((a: number, d: { totalTokens: number }) => a + d.totalTokens, 0)).toBe(json.totals.totalTokens);
  });

  it('buckets days in the asked time zone and filters with --since/--until; weekly and monthly keys', async () => {
    const utc = JSON.parse((await report(['daily', '--json', '-z', 'UTC', '--dir', root])).stdout);
    const tokyo = JSON.parse((await report(['daily', '--json', '--timezone', 'Asia/Tokyo', '--dir', root])).stdout);
    expect(tokyo.totals.totalTokens).toBe(utc.totals.totalTokens);
    expect(tokyo.daily.map((d: { date: string }) => d.date)).not.toEqual(utc.daily.map((d: { date: string }) => d.date));
    const day = utc.daily[1].date;
    const one = JSON.parse((await report(['daily', '--json', '-z', 'UTC', '--dir', root, '--since', day, '--until', day])).stdout);
    expect(one.daily).toEqual([utc.daily[1]]);
    const weekly = JSON.parse((await report(['weekly', '--json', '-z', 'UTC', '--dir', root])).stdout);
    expect(weekly.weekly.map((w: { week: string }) => w.week)).toEqual(['2025-12-29', '2026-01-05']); // Mondays; Jan 4 is a Sunday
    const monthly = JSON.parse((await report(['monthly', '--json', '-z', 'UTC', '--dir', root])).stdout);
    expect(monthly.monthly.map((m: { month: string }) => m.month)).toContain('2026-01');
    expect(monthly.totals.totalTokens).toBe(utc.totals.totalTokens);
  });

  it('sessions --json, session <id> --json with insights, and blocks', async () => {
    const sessions = JSON.parse((await report(['sessions', '--json', '--dir', root])).stdout).sessions;
    const expected = fold(files);
    expect(sessions.length).toBe(expected.summaries.size);
    const first = sessions[0];
    expect(Object.keys(first)).toEqual(['sessionId', 'project', 'startedAt', 'endedAt', 'activeSeconds', 'wallSeconds', ...Object.keys(SESSION_COUNTS), 'distinctTools', 'distinctSkills', 'primaryModel', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheCreationTokens', 'costUsd']);
    expect(first.toolCalls).toBe(expected.summaries.get(first.sessionId)!.toolCalls);
    const one = await report(['session', first.sessionId.slice(0, 8), '--json', '--dir', root, '--budget', '100']);
    expect(one.code).toBe(0);
    const detail = JSON.parse(one.stdout);
    expect(detail.session.sessionId).toBe(first.sessionId);
    expect(detail.insights.timeline.length).toBeGreaterThan(0);
    expect(detail.insights.projection.budgetUsd).toBe(100);
    expect(typeof detail.insights.summary).toBe('string');
    const blocks = JSON.parse((await report(['blocks', '--json', '--dir', root])).stdout).blocks;
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0].start).toMatch(/:00:00\.000Z$/);
    const proj0 = JSON.parse((await report(['sessions', '--json', '--dir', root, '--project', 'proj0'])).stdout).sessions;
    expect(proj0.length).toBeGreaterThan(0);
    expect(proj0.length).toBeLessThan(sessions.length);
    expect(proj0.every((s: { project: string }) => s.project === '/home/dev/proj0')).toBe(true);
    const display = JSON.parse((await report(['daily', '--json', '--dir', root, '--mode', 'display'])).stdout);
    expect(display.totals.costUsd).toBe(0); // no line carries costUSD
    const human = await report(['daily', '--breakdown', '--dir', root, '-z', 'UTC']);
    expect(human.stdout).toContain('Total');
    expect(human.stdout).toContain('└ claude-');
  });

  it('missing directory, bad zone, bad option and bad pricing file are clear errors with exit code 2', async () => {
    const missing = await report(['daily', '--dir', join(root, 'nope')]);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('--dir');
    expect((await report(['daily', '-z', 'Nowhere/Land', '--dir', root])).stderr).toContain('--timezone');
    expect((await report(['hourly'])).code).toBe(2);
    expect((await report(['daily', '--since', '2026-13-45'])).code).toBe(2);
    const pricing = join(root, 'prices.json');
    writeFileSync(pricing, '{"x": {"input": "free"}}');
    const bad = await report(['daily', '--dir', root, '--pricing', pricing]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--pricing');
    expect((await report(['daily', '--dir', root], { CLAUDE_CONFIG_DIR: join(root, 'nope') })).code).toBe(0);
    const nowhere = await report(['daily'], { CLAUDE_CONFIG_DIR: join(root, 'nope') });
    expect(nowhere.code).toBe(2);
    // Where it looked, and how to point elsewhere.
    expect(nowhere.stderr).toContain(join(root, 'nope', 'projects'));
    expect(nowhere.stderr).toMatch(/set CLAUDE_CONFIG_DIR to the directory that holds projects\/.*or pass --dir PATH/);
    for (const threads of ['0', '1.5', 'many']) {
      const r = await report(['daily', '--dir', root], { CCPULSE_REPORT_THREADS: threads });
      expect([r.code, r.stderr]).toEqual([2, `ccpulse report: CCPULSE_REPORT_THREADS must be a positive integer, not '${threads}'`]);
    }
    expect((await report(['daily', '--dir', root], { CCPULSE_REPORT_THREADS: '3' })).code).toBe(0);
  });
});

describe.each(corpora().map((c) => [c.name, c.dir] as const))('ccpulse report on the %s transcripts', (_, fixtures) => {
  it('daily --json -z UTC matches the oracle token for token, rejectedLines included', async () => {
    const oracle = JSON.parse(readFileSync(join(fixtures, 'expected', 'oracle.json'), 'utf8'));
    const { code, stdout } = await report(['daily', '--json', '-z', 'UTC', '--mode', 'calculate'], { CLAUDE_CONFIG_DIR: join(fixtures, 'claude') });
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.rejectedLines).toBe(oracle.rejected);
    for (const d of json.daily) {
      for (const m of d.models) {
        const want = oracle.daily[d.date][m.model];
        expect([d.date, m.model, m.inputTokens, m.outputTokens, m.cacheReadTokens, m.cacheCreationTokens, m.cacheCreation5mTokens, m.cacheCreation1hTokens])
          .toEqual([d.date, m.model, want.input, want.output, want.cacheRead, want.cacheCreation, want.cache5m, want.cache1h]);
        expect(Math.abs(m.costUsd * 1e6 - want.costMicroUsd)).toBeLessThan(100);
      }
    }
    expect(json.daily.length).toBe(Object.keys(oracle.daily).length);
  });

  it('sessions --json gives the oracle counts', async () => {
    const oracle = JSON.parse(readFileSync(join(fixtures, 'expected', 'oracle.json'), 'utf8'));
    const sessions = JSON.parse((await report(['sessions', '--json'], { CLAUDE_CONFIG_DIR: join(fixtures, 'claude') })).stdout).sessions;
    expect(sessions.length).toBe(Object.keys(oracle.sessions).length);
    for (const s of sessions) {
      const want = oracle.sessions[s.sessionId];
      expect([s.sessionId, s.prompts, s.toolCalls, s.toolErrors, s.activeSeconds, s.outputTokens, s.primaryModel]).toEqual([s.sessionId, want.prompts, want.tool_calls, want.tool_errors, want.active_seconds, want.output_tokens, want.primary_model]);
    }
  });
});
