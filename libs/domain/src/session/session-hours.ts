import { mergeOutcomes, zeroOutcomes, type OutcomeCounts } from '../outcomes/outcome-counts';
import { HOUR_MS, type SessionState } from './session-state';
import { primaryModel } from './session-summary';

/** A session's activity and outcomes in one UTC hour for one model: a row of the team read model. */
export interface SessionHour {
  /** UTC hour start, epoch ms. */
  hourMs: number;
  /** '' when the session (or the use) has no model. */
  model: string;
  /** 1 in the hour the session started (under its primary model), else 0. */
  sessions: number;
  prompts: number;
  /**
   * Active time that falls in this hour (activity blocks cut at hour boundaries), in whole ms: the
   * stored row and `ccpulse report team` sum the same rounded values, so their seconds agree.
   */
  activeMs: number;
  outcomes: OutcomeCounts;
}

/**
 * The session's rows per (UTC hour, model), so any day, week or month in a whole-hour zone is a
 * sum of rows. Session-level counts (the session itself, prompts, active time) go to the primary
 * model; outcome metrics to the model of the line that made the tool use. A session with no user
 * and no assistant line has no rows (as it has no summary).
 */
export function sessionHours(state: SessionState): SessionHour[] {
  if (state.userMessages === 0 && state.assistantMessages === 0) return [];
  const primary = primaryModel(state.models) ?? '';
  const rows = new Map<string, SessionHour>();
  const row = (hourMs: number, model: string): SessionHour => {
    const key = `${hourMs}|${model}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { hourMs, model, sessions: 0, prompts: 0, activeMs: 0, outcomes: zeroOutcomes() }));
    return r;
  };
  if (state.firstTs !== undefined) row(floorHour(state.firstTs), primary).sessions = 1;
  for (const [hour, n] of Object.entries(state.promptHours ?? {})) row(Number(hour), primary).prompts += n;
  for (const [first, last] of state.activity) {
    for (let start = first; start < last; ) {
      const end = Math.min(last, floorHour(start) + HOUR_MS);
      row(floorHour(start), primary).activeMs += end - start;
      start = end;
    }
  }
  for (const [key, counts] of Object.entries(state.outcomes ?? {})) {
    const bar = key.indexOf('|');
    const hourMs = Number(key.slice(0, bar));
    if (!Number.isFinite(hourMs)) continue;
    mergeOutcomes(row(hourMs, key.slice(bar + 1)).outcomes, counts);
  }
  for (const r of rows.values()) r.activeMs = Math.round(r.activeMs);
  return [...rows.values()].sort((a, b) => a.hourMs - b.hourMs || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

function floorHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}
