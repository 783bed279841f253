/** Whose spend a budget limits: the whole team, one user, or one project (its working directory). */
export type BudgetScope = 'team' | 'user' | 'project';
/** The calendar period a budget's limit applies to, in UTC. */
export type BudgetPeriod = 'day' | 'week' | 'month';

export const BUDGET_SCOPES: readonly BudgetScope[] = ['team', 'user', 'project'];
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month'];
export const DEFAULT_THRESHOLDS: readonly number[] = [0.5, 0.8, 1.0];

/** A spending budget as set by an admin. */
export interface BudgetSpec {
  scope: BudgetScope;
  /** The user or project; '' for the team. */
  subject: string;
  period: BudgetPeriod;
  limitUsd: number;
  /** Fractions of the limit that alert, ascending (1.0 = the limit itself). */
  thresholds: number[];
  webhookUrl: string | null;
}

/** A budget field that cannot be stored; `field` names the input field. */
export class BudgetInputError extends Error {
  readonly code = 'BUDGET_INPUT';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'BudgetInputError';
  }
}

const MAX_THRESHOLDS = 10;

/**
 * Checks and normalises a budget: the team has no subject, a user or project has one; the limit
 * is a positive amount; thresholds are distinct fractions in (0, 10], sorted. The webhook URL is
 * only shape-checked here (http or https); where it may point is the sender's policy.
 */
export function normaliseBudget(input: BudgetSpec): BudgetSpec {
  const subject = input.subject.trim();
  if (input.scope === 'team' && subject !== '') throw new BudgetInputError('subject', 'a TEAM budget has no subject (leave it empty)');
  if (input.scope !== 'team' && subject === '') throw new BudgetInputError('subject', `a ${input.scope.toUpperCase()} budget needs the ${input.scope} it limits`);
  if (subject.length > 500) throw new BudgetInputError('subject', 'at most 500 characters');
  if (!Number.isFinite(input.limitUsd) || input.limitUsd <= 0 || input.limitUsd > 1e9) throw new BudgetInputError('limitUsd', 'expected an amount above 0 (USD)');
  if (input.thresholds.length === 0 || input.thresholds.length > MAX_THRESHOLDS) throw new BudgetInputError('thresholds', `expected 1 to ${MAX_THRESHOLDS} fractions of the limit`);
  for (const t of input.thresholds) {
    if (!Number.isFinite(t) || t <= 0 || t > 10) throw new BudgetInputError('thresholds', `${t} is not a fraction of the limit in (0, 10]`);
  }
  const thresholds = [...new Set(input.thresholds)].sort((a, b) => a - b);
  let webhookUrl: string | null = input.webhookUrl?.trim() || null;
  if (webhookUrl !== null) {
    const parsed = parseWebhookUrl(webhookUrl);
    if (!parsed.ok) throw new BudgetInputError('webhookUrl', parsed.reason);
    if (webhookUrl.length > 2000) throw new BudgetInputError('webhookUrl', 'at most 2000 characters');
    webhookUrl = parsed.url.toString();
  }
  return { ...input, subject, thresholds, webhookUrl };
}

/**
 * The shape every webhook URL must have: http or https, no credentials. One rule for the API,
 * which refuses a budget with another, and for the aggregator's sender, which checks again
 * before it connects (a row may have been written by hand).
 */
export function parseWebhookUrl(raw: string): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `only http and https URLs, not ${url.protocol}` };
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL are not allowed' };
  return { ok: true, url };
}

/**
 * What a member sees of a webhook URL: scheme and host only. Slack-style URLs carry their secret
 * in the path, and whoever holds it can post to the channel.
 */
export function redactWebhookUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '…';
  }
}
