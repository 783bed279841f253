/** The calendar period of a budget. */
export type BudgetPeriod = 'DAY' | 'WEEK' | 'MONTH';

/** The offset (ms) of a zone at an instant: local wall time − UTC. */
function offsetMs(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a local wall-clock time (given as a UTC-based date) happens in a zone. */
function zonedToInstant(timeZone: string, wall: Date): Date {
  let guess = new Date(wall.getTime() - offsetMs(timeZone, wall));
  guess = new Date(wall.getTime() - offsetMs(timeZone, guess));
  return guess;
}

/** Start and end of the period containing `now` in a zone (weeks start on Monday). */
export function periodBounds(period: BudgetPeriod, timeZone: string, now: Date): { start: Date; end: Date } {
  const local = new Date(now.getTime() + offsetMs(timeZone, now));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const d = local.getUTCDate();
  let startWall: Date;
  let endWall: Date;
  if (period === 'DAY') {
    startWall = new Date(Date.UTC(y, m, d));
    endWall = new Date(Date.UTC(y, m, d + 1));
  } else if (period === 'WEEK') {
    const dow = (local.getUTCDay() + 6) % 7; // Monday = 0
    startWall = new Date(Date.UTC(y, m, d - dow));
    endWall = new Date(Date.UTC(y, m, d - dow + 7));
  } else {
    startWall = new Date(Date.UTC(y, m, 1));
    endWall = new Date(Date.UTC(y, m + 1, 1));
  }
  return { start: zonedToInstant(timeZone, startWall), end: zonedToInstant(timeZone, endWall) };
}

/** Spend so far in a period projected linearly to its end. */
export interface BudgetProjectionView {
  period: BudgetPeriod;
  periodStart: Date;
  periodEnd: Date;
  budgetUsd: number;
  spentUsd: number;
  projectedUsd: number;
  remainingUsd: number;
  onTrack: boolean;
  exhaustsAt: Date | null;
}

export function projectBudget(args: {
  period: BudgetPeriod;
  start: Date;
  end: Date;
  now: Date;
  budgetUsd: number;
  spentUsd: number;
}): BudgetProjectionView {
  const elapsed = Math.max(args.now.getTime() - args.start.getTime(), 60000);
  const length = args.end.getTime() - args.start.getTime();
  const rate = args.spentUsd / elapsed; // USD per ms
  const projected = args.spentUsd + rate * Math.max(args.end.getTime() - args.now.getTime(), 0);
  let exhaustsAt: Date | null = null;
  if (args.spentUsd >= args.budgetUsd) exhaustsAt = args.now;
  else if (rate > 0) {
    const at = args.now.getTime() + (args.budgetUsd - args.spentUsd) / rate;
    if (at <= args.start.getTime() + length) exhaustsAt = new Date(at);
  }
  return {
    period: args.period,
    periodStart: args.start,
    periodEnd: args.end,
    budgetUsd: args.budgetUsd,
    spentUsd: args.spentUsd,
    projectedUsd: projected,
    remainingUsd: args.budgetUsd - args.spentUsd,
    onTrack: projected <= args.budgetUsd,
    exhaustsAt,
  };
}
