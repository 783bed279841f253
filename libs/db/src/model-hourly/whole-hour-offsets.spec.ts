import { zoneHasWholeHourOffsets, zoneHasWholeHourOffsetsCached } from './whole-hour-offsets';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('which zones the hourly rollups can serve', () => {
  it('whole-hour zones yes, half-hour zones no, and a zone with a half-hour shift only inside the range', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/Los_Angeles']) expect(zoneHasWholeHourOffsets(zone, d('2026-03-01'), d('2026-11-30'))).toBe(true);
    for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Adelaide']) expect(zoneHasWholeHourOffsets(zone, d('2026-06-01'), d('2026-06-30'))).toBe(false);
    // Lord Howe is +11 in (southern) summer and +10:30 in winter
    expect(zoneHasWholeHourOffsets('Australia/Lord_Howe', d('2026-01-01'), d('2026-01-31'))).toBe(true);
    expect(zoneHasWholeHourOffsets('Australia/Lord_Howe', d('2026-01-01'), d('2026-06-30'))).toBe(false);
  });

  it('the remembered answer is the computed one, per zone and range', () => {
    for (const [zone, from, to] of [['Australia/Lord_Howe', '2026-01-01', '2026-01-31'], ['Australia/Lord_Howe', '2026-01-01', '2026-06-30'], ['Asia/Kolkata', '2026-01-01', '2026-01-31']] as const) {
      for (let i = 0; i < 2; i++) expect(zoneHasWholeHourOffsetsCached(zone, d(from), d(to))).toBe(zoneHasWholeHourOffsets(zone, d(from), d(to)));
    }
  });
});
