import { addDays, dayInZone, lastDays } from './dates';

describe('dates', () => {
  const t = Date.parse('2026-11-26T23:30:00Z');
  it('reads the calendar day in a zone', () => {
    expect(dayInZone(t, 'UTC')).toBe('2026-11-26');
    expect(dayInZone(t, 'Europe/Berlin')).toBe('2026-11-27');
    expect(dayInZone(t, 'America/Los_Angeles')).toBe('2026-11-26');
  });
  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
  it('spans the last n days inclusive', () => {
    expect(lastDays(7, t, 'UTC')).toEqual({ from: '2026-11-20', to: '2026-11-26' });
  });
});
