import { onSignal, planShutdown, supervisorExitCode } from './shutdown.plan';

describe('planShutdown', () => {
  it('given all three apps, when planning, then stops ingestor, then aggregator, then api', () => {
    const stages = planShutdown(['api', 'aggregator', 'ingestor'], 5000);
    expect(stages.map((s) => s.names)).toEqual([['ingestor'], ['aggregator'], ['api']]);
    expect(stages.every((s) => s.signal === 'SIGTERM' && s.killAfterMs === 5000)).toBe(true);
  });

  it('given only some apps alive, when planning, then skips the dead ones', () => {
    expect(planShutdown(['api'], 1).map((s) => s.names)).toEqual([['api']]);
    expect(planShutdown([], 1)).toEqual([]);
  });

  it('given names outside the order, when planning, then stops them together last', () => {
    expect(planShutdown(['x', 'api', 'y'], 1, ['api']).map((s) => s.names)).toEqual([['api'], ['x', 'y']]);
  });
});

describe('onSignal', () => {
  it('starts an orderly shutdown on the first signal', () => {
    expect(onSignal('SIGINT', false)).toBe('shutdown');
    expect(onSignal('SIGTERM', false)).toBe('shutdown');
  });

  it('kills on a second Ctrl-C but ignores a repeated SIGTERM', () => {
    expect(onSignal('SIGINT', true)).toBe('kill-now');
    expect(onSignal('SIGTERM', true)).toBe('ignore');
  });
});

describe('supervisorExitCode', () => {
  it('is 0 after a requested stop and 1 after a child failed for good', () => {
    expect(supervisorExitCode({ kind: 'signal', signal: 'SIGTERM' })).toBe(0);
    expect(supervisorExitCode({ kind: 'failed', name: 'api' })).toBe(1);
  });
});
