import { addDays, dayInZone, isTimeZone, lastDays, rangeDays, startOfDayInZone, timeZones } from './dates';

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

describe('zones and ranges', () => {
  it('finds the instant a day starts in a zone, across DST', () => {
    expect(startOfDayInZone('2026-11-21', 'UTC')).toBe('2026-11-21T00:00:00.000Z');
    expect(startOfDayInZone('2026-11-21', 'Asia/Kolkata')).toBe('2026-11-20T18:30:00.000Z');
    expect(startOfDayInZone('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDayInZone('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDayInZone('2026-11-01', 'America/Los_Angeles')).toBe('2026-11-01T07:00:00.000Z');
  });

  it('turns presets and explicit days into from/to', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(rangeDays({}, 30, now, 'UTC')).toEqual({ from: '2026-10-23', to: '2026-11-21' });
    expect(rangeDays({ days: 7 }, 30, now, 'UTC')).toEqual({ from: '2026-11-15', to: '2026-11-21' });
    expect(rangeDays({ from: '2026-01-01' }, 30, now, 'UTC')).toEqual({ from: '2026-01-01', to: '2026-11-21' });
    expect(rangeDays({ to: '2026-02-01', days: 7 }, 30, now, 'UTC')).toEqual({ from: '2026-01-26', to: '2026-02-01' });
  });

  it('offers UTC first and always the current zone', () => {
    const zones = timeZones('Mars/Olympus');
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('Mars/Olympus');
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
