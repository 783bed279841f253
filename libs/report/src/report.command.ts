import { readFileSync } from 'node:fs';
import { availableParallelism, userInfo } from 'node:os';
import { buildBlocks, costProjection, isPricingOverrideError, parsePricingOverrides, type PricingTable } from '@ccpulse/domain';
import { discoverRoots, WHERE_TO_POINT } from './transcript-roots';
import { loadTranscripts } from './load-transcripts';
import { parseReportArgs, REPORT_USAGE, ReportUsageError, type ReportArgs } from './report-args';
import { n, renderTable, secs, usd } from './report-table';
import { foldSessions, insightsOf, sessionRow } from './session-reports';
import { anthropicDays, teamDays, teamRow } from './team-report';
import { usageByPeriod, type PeriodReport, type UsageTotals } from './usage-periods';
import { InvalidTimeZoneError, ZonedCalendar } from './zoned-calendar';

/** A wrong setting (pricing file, roots): the message names it; exit code 2. */
export class ReportConfigError extends Error {
  readonly code = 'REPORT_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ReportConfigError';
  }
}

/** Where the command writes; injectable so tests read the output. */
export interface ReportIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  nowMs: () => number;
}

const MAX_REJECTION_MESSAGES = 50;

/** `ccpulse report …` → exit code (0 ok, 1 unexpected failure, 2 bad arguments or setup). */
export async function run(argv: string[], io: Partial<ReportIo> = {}): Promise<number> {
  const { out, err, env, nowMs } = {
    out: (t: string) => process.stdout.write(t + '\n'),
    err: (t: string) => process.stderr.write(t + '\n'),
    env: process.env,
    nowMs: () => Date.now(),
    ...io,
  };
  let args: ReportArgs;
  let calendar: ZonedCalendar;
  let pricing: PricingTable | undefined;
  let roots: string[];
  let threads: number;
  try {
    args = parseReportArgs(argv);
    if (args.help) {
      out(REPORT_USAGE);
      return 0;
    }
    calendar = new ZonedCalendar(args.timeZone);
    pricing = loadPricing(args.pricingFile ?? env.CCPULSE_PRICING_FILE, args.pricingFile ? '--pricing' : 'CCPULSE_PRICING_FILE');
    const found = discoverRoots(env, args.dir);
    if (found.missing.length && (args.dir || found.roots.length === 0)) {
      const what = args.dir ? '--dir' : env.CLAUDE_CONFIG_DIR?.trim() ? 'CLAUDE_CONFIG_DIR' : 'the default locations';
      throw new ReportConfigError(`no transcript directory at ${found.missing.join(', ')} (from ${what}); ${WHERE_TO_POINT}`);
    }
    for (const m of found.missing) err(`ccpulse report: warning: ${m} does not exist (CLAUDE_CONFIG_DIR)`);
    roots = found.roots;
    threads = readerThreads(env);
  } catch (e) {
    if (e instanceof ReportUsageError) {
      err(`ccpulse report: ${e.message}\n\n${REPORT_USAGE}`);
      return 2;
    }
    if (e instanceof ReportConfigError || e instanceof InvalidTimeZoneError) {
      err(`ccpulse report: ${e.message}`);
      return 2;
    }
    throw e;
  }

  let rejectionMessages = 0;
  const sessionsWanted = args.kind === 'sessions' || args.kind === 'session' || args.kind === 'team';
  const loaded = await loadTranscripts(roots, {
    entries: sessionsWanted,
    project: args.project,
    threads,
    onRejected: (file, line, reason, detail) => {
      if (++rejectionMessages <= MAX_REJECTION_MESSAGES) err(`${file}:${line}: skipped line (${reason}${detail ? `: ${detail}` : ''})`);
    },
  });
  if (rejectionMessages > MAX_REJECTION_MESSAGES) err(`… and ${rejectionMessages - MAX_REJECTION_MESSAGES} more malformed lines`);
  const costOpts = { mode: args.mode, pricing };

  switch (args.kind) {
    case 'daily':
    case 'weekly':
    case 'monthly': {
      const report = usageByPeriod(loaded.usage.records(), { period: args.kind, calendar, since: args.since, until: args.until, ...costOpts });
      warnUnpriced(report, err);
      out(args.json ? JSON.stringify(periodJson(args.kind, report, loaded.rejectedLines), null, 2) : periodTable(args, report, calendar.timeZone));
      return 0;
    }
    case 'sessions': {
      const folded = foldSessions(loaded, costOpts);
      const inRange = folded.summaries.filter((s) => {
        if (!s.startedAt) return !args.since && !args.until;
        const day = calendar.dayOf(Date.parse(s.startedAt));
        return (!args.since || day >= args.since) && (!args.until || day <= args.until);
      });
      const rows = inRange.map(sessionRow);
      if (args.json) out(JSON.stringify({ sessions: rows, rejectedLines: loaded.rejectedLines }, null, 2));
      else {
        out(renderTable(
          ['Session', 'Started', 'Active', 'Prompts', 'Tools', 'Errors', 'Model', 'Input', 'Output', 'Cache read', 'Cache write', 'Cost'],
          rows.map((r) => [r.sessionId.slice(0, 8), r.startedAt ? r.startedAt.slice(0, 16).replace('T', ' ') : '-', secs(r.activeSeconds), n(r.prompts), n(r.toolCalls), n(r.toolErrors), r.primaryModel ?? '-', n(r.inputTokens), n(r.outputTokens), n(r.cacheReadTokens), n(r.cacheCreationTokens), usd(r.costUsd)]),
          [false, false, true, true, true, true, false, true, true, true, true, true],
        ));
      }
      return 0;
    }
    case 'session': {
      const folded = foldSessions(loaded, costOpts);
      const id = args.sessionId!;
      const matches = folded.summaries.filter((s) => s.sessionId === id || s.sessionId.startsWith(id));
      if (matches.length !== 1) {
        err(`ccpulse report: ${matches.length ? `'${id}' matches ${matches.length} sessions` : `no session '${id}'`}`);
        return 2;
      }
      const summary = matches[0];
      const now = nowMs();
      const insights = insightsOf(folded, summary.sessionId, { nowMs: now, ...costOpts })!;
      const projection = args.budgetUsd !== undefined ? costProjection(insights, args.budgetUsd, { nowMs: now }) : undefined;
      if (args.json) {
        const { timelineState: _state, ...rest } = insights;
        out(JSON.stringify({ session: { ...sessionRow(summary), ...summary }, insights: { ...rest, projection } }, null, 2));
      } else {
        out(insights.summary);
        out('');
        out(renderTable(['Model', 'Messages', 'Tokens', 'Cost'], insights.models.map((m) => [m.model, n(m.messages), n(m.totalTokens), usd(m.costUsd)]), [false, true, true, true]));
        out('');
        out(renderTable(['Tool', 'Calls', 'Failed', 'Avg time'], insights.tools.map((t) => [t.name, n(t.calls), `${(t.failureRate * 100).toFixed(0)}%`, t.avgDurationMs === undefined ? '-' : `${(t.avgDurationMs / 1000).toFixed(1)}s`]), [false, true, true, true]));
        if (projection) out(`\nSpending ${usd(projection.usdPerHour)}/h over the last ${projection.windowMinutes} min; ${usd(projection.remainingUsd)} of ${usd(projection.budgetUsd)} left${projection.exhaustsAt ? `, gone at ${projection.exhaustsAt}` : ''}.`);
      }
      return 0;
    }
    case 'team': {
      // The name the ingestor publishes under, so the row matches the server's `team` row.
      const user = env.CCPULSE_USER?.trim() || userInfo().username;
      const folded = foldSessions(loaded, costOpts);
      const days = teamDays(folded.states.values(), folded.records, { user, dayOf: (ms) => calendar.dayOf(ms), since: args.since, until: args.until, ...costOpts });
      if (args.format === 'anthropic') out(JSON.stringify({ data: anthropicDays(user, days), has_more: false, next_page: null }, null, 2));
      else if (args.json) out(JSON.stringify({ team: [teamRow(user, days)], rejectedLines: loaded.rejectedLines }, null, 2));
      else {
        const r = teamRow(user, days);
        out(renderTable(
          ['User', 'Sessions', 'Prompts', 'Active', 'Tokens', 'Cost', 'Lines +', 'Lines −', 'Commits', 'PRs', 'Accepted', 'Rejected'],
          [[r.user, n(r.sessions), n(r.prompts), secs(r.activeSeconds), n(r.totalTokens), usd(r.costUsd), n(r.linesAdded), n(r.linesRemoved), n(r.commits), n(r.pullRequests), n(r.editsAccepted), n(r.editsRejected)]],
          [false, true, true, true, true, true, true, true, true, true, true, true],
        ));
      }
      return 0;
    }
    case 'blocks': {
      const blocks = buildBlocks(loaded.usage.records(), { nowMs: nowMs(), costMode: args.mode, pricing }).filter((b) => {
        const day = calendar.dayOf(b.startMs);
        return (!args.since || day >= args.since) && (!args.until || day <= args.until);
      });
      if (args.json) out(JSON.stringify({ blocks, rejectedLines: loaded.rejectedLines }, null, 2));
      else {
        out(renderTable(
          ['Block start', 'Active', 'Messages', 'Tokens', 'Tokens/min', 'Cost', '$/h', 'Models'],
          blocks.map((b) => [b.start.slice(0, 16).replace('T', ' '), b.isActive ? 'ACTIVE' : '', n(b.messages), n(b.totalTokens), n(Math.round(b.tokensPerMinute)), usd(b.costUsd), usd(b.usdPerHour), b.models.join(', ')]),
          [false, false, true, true, true, true, true, false],
        ));
      }
      return 0;
    }
  }
}

/**
 * `CCPULSE_REPORT_THREADS` (a positive integer; 1 reads on the main thread alone), else one
 * thread per core, at most four: past that the threads' memory grows faster than the time saved.
 */
function readerThreads(env: NodeJS.ProcessEnv): number {
  const setting = env.CCPULSE_REPORT_THREADS?.trim();
  if (!setting) return Math.min(availableParallelism(), MAX_DEFAULT_THREADS);
  const threads = Number(setting);
  if (!Number.isSafeInteger(threads) || threads < 1) throw new ReportConfigError(`CCPULSE_REPORT_THREADS must be a positive integer, not '${setting}'`);
  return threads;
}

const MAX_DEFAULT_THREADS = 4;

function loadPricing(file: string | undefined, setting: string): PricingTable | undefined {
  if (!file) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReportConfigError(`${setting}: cannot read pricing overrides from ${file}: ${(e as Error).message}`);
  }
  const table = parsePricingOverrides(json);
  if (isPricingOverrideError(table)) throw new ReportConfigError(`${setting}: ${file}: ${table.error}`);
  return table;
}

function warnUnpriced(report: PeriodReport, err: (t: string) => void): void {
  for (const [model, tokens] of report.unpriced) err(`ccpulse report: no price for model '${model}': its ${n(tokens)} tokens are counted as $0`);
  if (report.untimed) err(`ccpulse report: ${report.untimed} responses without a timestamp are left out of the periods`);
}

const KEY_NAME = { daily: 'date', weekly: 'week', monthly: 'month' } as const;

function periodJson(kind: 'daily' | 'weekly' | 'monthly', report: PeriodReport, rejectedLines: number) {
  return {
    [kind]: report.rows.map(({ key, models, ...totals }) => ({ [KEY_NAME[kind]]: key, ...totals, models })),
    totals: report.totals,
    rejectedLines,
  };
}

function periodTable(args: ReportArgs, report: PeriodReport, timeZone: string): string {
  const header = [KEY_NAME[args.kind as 'daily'][0].toUpperCase() + KEY_NAME[args.kind as 'daily'].slice(1), 'Models', 'Input', 'Output', 'Cache write', 'Cache read', 'Total tokens', 'Cost'];
  const cells = (label: string, models: string, t: UsageTotals) => [label, models, n(t.inputTokens), n(t.outputTokens), n(t.cacheCreationTokens), n(t.cacheReadTokens), n(t.totalTokens), usd(t.costUsd)];
  const rows: string[][] = [];
  for (const r of report.rows) {
    rows.push(cells(r.key, r.models.map((m) => m.model.replace(/^claude-/, '').replace(/-\d{8}$/, '')).join(', '), r));
    if (args.breakdown) for (const m of r.models) rows.push(cells('', `  └ ${m.model}`, m));
  }
  rows.push([]);
  rows.push(cells('Total', '', report.totals));
  return `Claude Code usage, ${args.kind} (${timeZone})\n\n${renderTable(header, rows, [false, false, true, true, true, true, true, true])}`;
}
