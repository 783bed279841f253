import { initialSessionState } from './session-state';
import { sessionHours } from './session-hours';

describe('sessionHours', () => {
  it('gives each hour its active time in whole ms, so the stored rows and the report sum the same values', () => {
    const h9 = Date.parse('2026-03-02T09:00:00Z');
    const state = initialSessionState('s');
    state.userMessages = 1;
    state.firstTs = h9 + 0.4;
    // Microsecond timestamps make fractional ms; the block crosses 10:00.
    state.activity = [[h9 + 3_599_000.4, h9 + 3_600_700.9]];
    const rows = sessionHours(state);
    expect(rows.map((r) => [r.hourMs - h9, r.activeMs])).toEqual([
      [0, 1000],
      [3_600_000, 701],
    ]);
    expect(rows.every((r) => Number.isInteger(r.activeMs))).toBe(true);
  });
});
