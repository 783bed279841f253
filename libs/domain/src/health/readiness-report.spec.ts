import { readinessReport, readinessStatus } from './readiness-report';

describe('readinessReport', () => {
  it('is ok (200) only when every check is', () => {
    const ok = readinessReport({ nats: { ok: true }, postgres: { ok: true } });
    expect(ok).toEqual({ status: 'ok', checks: { nats: { ok: true }, postgres: { ok: true } } });
    expect(readinessStatus(ok)).toBe(200);
    const down = readinessReport({ nats: { ok: true }, postgres: { ok: false, error: 'database "x" does not exist' } });
    expect(down.status).toBe('unavailable');
    expect(readinessStatus(down)).toBe(503);
  });
});
