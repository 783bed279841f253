import pino from 'pino';
import { seedUser } from './test-support/seed';
import { startTestApi, type TestApi } from './test-support/api-harness';

describe('client mistakes in the log', () => {
  let t: TestApi;
  let alice: string;
  const lines: Record<string, any>[] = [];

  beforeAll(async () => {
    const log = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    t = await startTestApi({ log });
    alice = await seedUser(t.db.db, 'alice', { onboarded: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given a bad time zone, a bad date or too large a page, then BAD_USER_INPUT, logged at info with the request id, never as an error', async () => {
    const mistakes = [
      '{ usage(from: "2026-11-01", to: "2026-11-30", timezone: "Mars/Base") { user } }',
      '{ usage(from: "2026-13-01", to: "2026-11-30") { user } }',
      '{ sessions(first: 500) { nodes { id } } }',
      '{ budgetProjection(budgetUsd: 5, timezone: "Nope/Nowhere") { spentUsd } }',
    ];
    for (const [i, query] of mistakes.entries()) {
      const id = `req-${i}`;
      const res = await fetch(`${t.api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}`, 'x-request-id': id },
        body: JSON.stringify({ query }),
      });
      expect(res.headers.get('x-request-id')).toBe(id);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(lines.filter((l) => l.requestId === id).map((l) => [l.level, l.code])).toEqual([[30, 'BAD_USER_INPUT']]);
    }
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('given a short cursor we never issued, then BAD_USER_INPUT on `after`, logged at info with the request id, never as an error', async () => {
    const id = 'req-cursor';
    const res = await fetch(`${t.api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}`, 'x-request-id': id },
      body: JSON.stringify({ query: '{ sessions(first: 5, after: "not-a-cursor") { nodes { id } } }' }),
    });
    const error = ((await res.json()) as any).errors[0];
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(error.message).toBe('after: not a cursor from a previous page');
    expect(lines.filter((l) => l.requestId === id).map((l) => [l.level, l.code, l.field])).toEqual([[30, 'BAD_USER_INPUT', 'sessions']]);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('given no request id from the caller, then one is made up and returned', async () => {
    const res = await fetch(`${t.api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}`, 'x-request-id': 'bad id {"level":50}' }, body: JSON.stringify({ query: '{ me { name } }' }) });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
