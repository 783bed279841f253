import {
  addOutcomeTotals,
  mergeOutcomes,
  recordCost,
  sessionHours,
  totalTokens,
  zeroOutcomeTotals,
  zeroOutcomes,
  type CostMode,
  type OutcomeCounts,
  type OutcomeTotals,
  type PricingTable,
  type SessionState,
  type UsageRecord,
} from '@ccpulse/domain';

/** One `report team --json` row: the GraphQL `team` row's fields, same names (outcomes: `OUTCOME_FIELDS`). */
export interface TeamRow extends OutcomeTotals {
  user: string;
  sessions: number;
  prompts: number;
  activeSeconds: number;
  totalTokens: number;
  costUsd: number;
}

/** A day of one person in Anthropic's Claude Code analytics shape (`usage_report/claude_code`). */
export interface AnthropicDay {
  date: string;
  actor: { type: 'user_actor'; email_address: string };
  core_metrics: { num_sessions: number; lines_of_code: { added: number; removed: number }; commits_by_claude_code: number; pull_requests_by_claude_code: number };
  tool_actions: Record<'edit_tool' | 'multi_edit_tool' | 'notebook_edit_tool' | 'write_tool', { accepted: number; rejected: number }>;
  model_breakdown: { model: string; tokens: { input: number; output: number; cache_read: number; cache_creation: number }; estimated_cost: { currency: 'USD'; amount: number } }[];
}

interface DayTotals {
  sessions: number;
  prompts: number;
  activeMs: number;
  outcomes: OutcomeCounts;
  models: Map<string, { input: number; output: number; cacheRead: number; cacheCreation: number; costUsd: number }>;
}

export interface TeamReportOptions {
  user: string;
  /** Local day of an instant (the report's calendar). */
  dayOf: (ms: number) => string;
  since?: string;
  until?: string;
  mode: CostMode;
  pricing?: PricingTable;
}

/**
 * The local files' totals per local day, from the aggregator's own reducers: `sessionHours` of
 * each session state (sessions, prompts, active time, outcome metrics per UTC hour) and the kept
 * responses (tokens and cost). Hours fall on the local day they start in, as on the server.
 */
export function teamDays(states: Iterable<SessionState>, records: Iterable<UsageRecord>, opts: TeamReportOptions): Map<string, DayTotals> {
  const days = new Map<string, DayTotals>();
  const inRange = (day: string) => (!opts.since || day >= opts.since) && (!opts.until || day <= opts.until);
  const dayTotals = (day: string) => {
    let d = days.get(day);
    if (!d) days.set(day, (d = { sessions: 0, prompts: 0, activeMs: 0, outcomes: zeroOutcomes(), models: new Map() }));
    return d;
  };
  for (const state of states) {
    for (const h of sessionHours(state)) {
      const day = opts.dayOf(h.hourMs);
      if (!inRange(day)) continue;
      const d = dayTotals(day);
      d.sessions += h.sessions;
      d.prompts += h.prompts;
      d.activeMs += h.activeMs;
      mergeOutcomes(d.outcomes, h.outcomes);
    }
  }
  for (const r of records) {
    if (r.ts === undefined) continue;
    const day = opts.dayOf(r.ts);
    if (!inRange(day)) continue;
    const d = dayTotals(day);
    let m = d.models.get(r.model);
    if (!m) d.models.set(r.model, (m = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, costUsd: 0 }));
    m.input += r.tokens.input;
    m.output += r.tokens.output;
    m.cacheRead += r.tokens.cacheRead;
    m.cacheCreation += r.tokens.cacheCreation;
    m.costUsd += recordCost(r, opts.mode, opts.pricing).costUsd;
  }
  return days;
}

/** The `team` row of the local user over the days. */
export function teamRow(user: string, days: Map<string, DayTotals>): TeamRow {
  const row: TeamRow = { user, sessions: 0, prompts: 0, activeSeconds: 0, totalTokens: 0, costUsd: 0, ...zeroOutcomeTotals() };
  let activeMs = 0;
  for (const d of days.values()) {
    row.sessions += d.sessions;
    row.prompts += d.prompts;
    activeMs += d.activeMs;
    addOutcomeTotals(row, d.outcomes);
    for (const m of d.models.values()) {
      row.totalTokens += totalTokens(m);
      row.costUsd += m.costUsd;
    }
  }
  row.activeSeconds = Math.trunc(activeMs / 1000);
  return row;
}

const TOOL_FIELDS = { Edit: 'edit_tool', MultiEdit: 'multi_edit_tool', NotebookEdit: 'notebook_edit_tool', Write: 'write_tool' } as const;

/** The days in Anthropic's field names; `estimated_cost.amount` is in cents, as theirs. */
export function anthropicDays(user: string, days: Map<string, DayTotals>): AnthropicDay[] {
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, d]) => {
      const tools = Object.fromEntries(Object.values(TOOL_FIELDS).map((f) => [f, { accepted: 0, rejected: 0 }])) as AnthropicDay['tool_actions'];
      for (const [name, field] of Object.entries(TOOL_FIELDS)) {
        const t = d.outcomes.tools[name];
        if (t) tools[field] = { accepted: t.accepted, rejected: t.rejected };
      }
      return {
        date: `${day}T00:00:00Z`,
        actor: { type: 'user_actor', email_address: user },
        core_metrics: {
          num_sessions: d.sessions,
          lines_of_code: { added: d.outcomes.linesAdded, removed: d.outcomes.linesRemoved },
          commits_by_claude_code: d.outcomes.commits,
          pull_requests_by_claude_code: d.outcomes.pullRequests,
        },
        tool_actions: tools,
        model_breakdown: [...d.models.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([model, m]) => ({
          model,
          tokens: { input: m.input, output: m.output, cache_read: m.cacheRead, cache_creation: m.cacheCreation },
          estimated_cost: { currency: 'USD' as const, amount: Math.round(m.costUsd * 100) },
        })),
      };
    });
}
