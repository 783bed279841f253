import { PollSchedule, pollInterval } from './poll-schedule';

const S = 1000;
const MIN = 60 * S;

describe('pollInterval', () => {
  it('given a file that just grew, polls at the fast rate; the longer it is quiet, the rarer, up to the slowest', () => {
    expect(pollInterval(0, S, 5 * MIN)).toBe(S);
    expect(pollInterval(10 * S, S, 5 * MIN)).toBe(S);
    expect(pollInterval(MIN, S, 5 * MIN)).toBe(6 * S);
    expect(pollInterval(10 * MIN, S, 5 * MIN)).toBe(MIN);
    expect(pollInterval(24 * 60 * MIN, S, 5 * MIN)).toBe(5 * MIN);
  });
});

describe('PollSchedule', () => {
  it('given files quiet for different times, polls the recent ones often and leaves the old ones to the sweep', () => {
    const schedule = new PollSchedule(S, 5 * MIN);
    const now = 1_000_000_000;
    schedule.checked('active', now, now);
    schedule.checked('minute', now - MIN, now);
    schedule.checked('day-old', now - 24 * 60 * MIN, now);
    expect(schedule.size).toBe(2);
    expect(schedule.due(now)).toEqual([]);
    expect(schedule.due(now + S)).toEqual(['active']);
    expect(schedule.due(now + 6 * S)).toEqual(['active', 'minute']);
  });

  it('given a file that stays quiet, backs off until the sweep takes it over, after fewer than a hundred polls in 50 minutes (not 3,000)', () => {
    const schedule = new PollSchedule(S, 5 * MIN);
    let now = 0;
    let polls = 0;
    schedule.checked('f', 0, now);
    while (schedule.size > 0 && polls < 1000) {
      while (schedule.due(now).length === 0) now += 100;
      schedule.checked('f', 0, now);
      polls++;
    }
    expect(schedule.size).toBe(0);
    expect(now).toBeGreaterThanOrEqual(50 * MIN);
    expect(now).toBeLessThan(60 * MIN);
    expect(polls).toBeLessThan(100);
  });

  it('given a forgotten file, never reports it due', () => {
    const schedule = new PollSchedule(S, 5 * MIN);
    schedule.checked('f', 0, 0);
    schedule.forget('f');
    expect(schedule.due(10 * MIN)).toEqual([]);
  });

  it('given polled files, is next due at the earliest of them, and never once none is polled', () => {
    const schedule = new PollSchedule(S, 5 * MIN);
    expect(schedule.nextDue()).toBeUndefined();
    schedule.checked('quiet', -10 * MIN, 0); // polled a minute from now
    schedule.checked('busy', 0, 0); // polled a second from now
    expect(schedule.nextDue()).toBe(S);
    schedule.forget('busy');
    expect(schedule.nextDue()).toBe(MIN);
    schedule.forget('quiet');
    expect(schedule.nextDue()).toBeUndefined();
  });
});
