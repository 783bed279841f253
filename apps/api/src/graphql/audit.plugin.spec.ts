import { createSchema, createYoga } from 'graphql-yoga';
import { auditPlugin } from './audit.plugin';

describe('auditPlugin', () => {
  const lines: { obj: any; msg: string }[] = [];
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { a: Int } type Mutation { createBudget(usd: Float!): Int, markOnboarded: Int }',
      resolvers: { Query: { a: () => 1 }, Mutation: { createBudget: () => 1, markOnboarded: () => 1 } },
    }),
    context: ({ request }) => ({
      viewer: async () => {
        if (!request.headers.get('authorization')) throw new Error('UNAUTHENTICATED');
        return { name: 'dana', role: 'admin' as const };
      },
    }),
    plugins: [auditPlugin({ info: ((obj: any, msg: string) => lines.push({ obj, msg })) as any })],
    logging: false,
  });
  const post = (query: string, auth = true) =>
    yoga.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: 'Bearer t' } : {}) }, body: JSON.stringify({ query }) });
  const settle = () => new Promise((r) => setImmediate(r));
  beforeEach(() => (lines.length = 0));

  it('logs who called which mutation, without its arguments', async () => {
    await post('mutation Set { createBudget(usd: 12.5) markOnboarded }');
    await settle();
    expect(lines).toEqual([{ obj: { audit: true, user: 'dana', role: 'admin', mutation: ['createBudget', 'markOnboarded'], operation: 'Set', outcome: 'ok' }, msg: 'audit: createBudget, markOnboarded' }]);
    expect(JSON.stringify(lines)).not.toContain('12.5');
  });

  it('logs a mutation by nobody signed in, and nothing for queries', async () => {
    await post('{ a }');
    await post('mutation { markOnboarded }', false);
    await settle();
    expect(lines.map((l) => l.obj.user)).toEqual([null]);
  });
});
