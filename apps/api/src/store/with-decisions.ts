import type { ToolDayRecord, ToolDecisionRecord } from '@ccpulse/db';

/** Tool days with their accept/reject decisions (0 when none were joined yet). */
export function withDecisions(days: ToolDayRecord[], decisions: readonly ToolDecisionRecord[]): ToolDayRecord[] {
  const key = (d: { day: string; user: string; tool: string }) => `${d.day}\u0000${d.user}\u0000${d.tool}`;
  const byKey = new Map(decisions.map((d) => [key(d), d]));
  return days.map((d) => {
    const x = byKey.get(key(d));
    return { ...d, accepted: x?.accepted ?? 0, rejected: x?.rejected ?? 0 };
  });
}
