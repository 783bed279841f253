import { decideAfterOutdated, decideRestart, describeExit, recentCrashes, restartDelay, type RestartPolicy } from './restart.policy';

const policy: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, maxRestarts: 3, windowMs: 10_000 };
const crash = { code: 1, signal: null };

describe('restartDelay', () => {
  it('doubles per attempt and stops at the ceiling', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => restartDelay(n, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('treats nonsense attempts as the first', () => {
    expect(restartDelay(0, policy)).toBe(100);
    expect(restartDelay(-3, policy)).toBe(100);
  });
});

describe('decideRestart', () => {
  it('given a first crash, when deciding, then restarts after the initial delay', () => {
    expect(decideRestart('api', crash, [1000], 1000, policy)).toEqual({ action: 'restart', delayMs: 100, attempt: 1 });
  });

  it('given crashes in a row, when deciding, then the delay grows', () => {
    expect(decideRestart('api', crash, [0, 10, 20], 20, policy)).toEqual({ action: 'restart', delayMs: 400, attempt: 3 });
  });

  it('given more crashes than allowed inside the window, when deciding, then gives up naming the child', () => {
    const d = decideRestart('aggregator', crash, [0, 1, 2, 3], 3, policy);
    expect(d.action).toBe('give-up');
    expect(d.action === 'give-up' && d.reason).toMatch(/aggregator crashed 4 times within 10s \(limit 3\)/);
  });

  it('given old crashes outside the window, when deciding, then they are forgotten', () => {
    expect(decideRestart('api', crash, [0, 1, 2, 50_000], 50_000, policy)).toEqual({ action: 'restart', delayMs: 100, attempt: 1 });
  });

  it.each([2, 78])('given exit code %i (configuration error), when deciding, then does not restart', (code) => {
    const d = decideRestart('ingestor', { code, signal: null }, [0], 0, policy);
    expect(d).toEqual({ action: 'give-up', reason: `ingestor exited with code ${code} (configuration error); not restarting` });
  });

  it('given a child killed by a signal, when deciding, then restarts it', () => {
    expect(decideRestart('api', { code: null, signal: 'SIGKILL' }, [5], 5, policy).action).toBe('restart');
  });

  it('given a clean exit 0 of a long-running app, when deciding, then treats it as a crash', () => {
    expect(decideRestart('api', { code: 0, signal: null }, [5], 5, policy).action).toBe('restart');
  });
});

describe('recentCrashes / describeExit', () => {
  it('keeps only crashes younger than the window', () => {
    expect(recentCrashes([0, 5000, 9999, 10_000], 10_000, policy)).toEqual([5000, 9999, 10_000]);
  });

  it('words an exit', () => {
    expect(describeExit({ code: 3, signal: null })).toBe('exited with code 3');
    expect(describeExit({ code: null, signal: 'SIGTERM' })).toBe('killed by SIGTERM');
  });
});

describe('decideAfterOutdated', () => {
  it('given a first outdated exit, then starts the installed version once (it may be the new one)', () => {
    expect(decideAfterOutdated('aggregator', 1, policy)).toMatchObject({ action: 'restart', delayMs: 100, reason: expect.stringMatching(/newer processor version went live/) });
  });

  it('given the restarted one outdated too, then retires it quietly, never giving up on the group', () => {
    for (const n of [2, 3, 10]) expect(decideAfterOutdated('aggregator', n, policy)).toMatchObject({ action: 'retire', reason: expect.stringMatching(/others keep running/) });
  });
});
