import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { buildSchema, parse, validate } from 'graphql';
import { createYoga } from 'graphql-yoga';
import * as dashboard from '../../web/src/api/queries';
import { loadApiConfig } from '../config/api-config';
import { queryLimitPlugins, withPageSizes, type QueryLimits } from './query-limits.plugin';
import { typeDefs } from './schema.sdl';

const schema = buildSchema(typeDefs);
const defaults = loadApiConfig({}, { readFile: () => '', osUser: () => 'local' }).limits;
const limits: QueryLimits = { ...defaults };

/** graphql-armor's cost of `query` with these variables, page sizes as the API costs them. */
function costOf(query: string, variables: Record<string, unknown> = {}): number {
  let cost = -1;
  validate(schema, withPageSizes(schema, parse(query), variables, limits.maxPageSize), [costLimitRule({ maxCost: Number.MAX_SAFE_INTEGER, onAccept: [(_ctx, d: { n: number }) => (cost = d.n)] })]);
  return cost;
}

// Resolvers return nothing: these checks are about which operations get refused, not data.
const yoga = createYoga({ schema, plugins: queryLimitPlugins(limits), logging: false, maskedErrors: false });
async function ask(query: string, variables?: Record<string, unknown>) {
  const res = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

const refusals = (r: Awaited<ReturnType<typeof ask>>) => (r.errors ?? []).filter((e) => e.extensions?.code === 'LIMIT_EXCEEDED');

const HEAVY_PAGE = 'sessions(first: $n) { nodes { id timeline { at tokens } tools { name calls } } }';

describe('query limits', () => {
  it('lets every dashboard operation through with at least half of each limit to spare', async () => {
    const operations = Object.entries(dashboard).filter(([, v]) => typeof v === 'string' && /^(query|subscription|mutation)\b/.test(v)) as [string, string][];
    expect(operations.length).toBeGreaterThanOrEqual(8);
    for (const [name, op] of operations) {
      // The sessions page asks for up to 200 rows (the page-size cap).
      const cost = costOf(op, { first: 200, window: 'H24' });
      expect([name, cost * 2 <= limits.maxCost]).toEqual([name, true]);
      const r = await ask(op, { first: 200, window: 'H24', from: '2026-11-01', to: '2026-11-30', timezone: 'UTC', groupBy: ['DAY'], budgetUsd: 5, period: 'MONTH', id: 's' });
      expect([name, refusals(r)]).toEqual([name, []]);
    }
  });

  it('costs a list field by its page size whether `first` is a literal, a variable or left to its default', () => {
    const literal = costOf(`{ ${HEAVY_PAGE.replace('$n', '200')} }`);
    expect(costOf(`query($n: Int) { ${HEAVY_PAGE} }`, { n: 200 })).toBe(literal);
    expect(costOf(`query($n: Int) { ${HEAVY_PAGE} }`, { n: 1 })).toBeLessThan(literal / 100);
    // Omitted: the schema default of 50.
    expect(costOf('{ sessions { nodes { id timeline { at tokens } tools { name calls } } } }')).toBe(costOf(`{ ${HEAVY_PAGE.replace('$n', '50')} }`));
    // Beyond the cap the resolver refuses the page (BAD_USER_INPUT), so it costs as the cap.
    expect(costOf(`query($n: Int) { ${HEAVY_PAGE} }`, { n: 1_000_000 })).toBe(literal);
    expect(costOf(`{ ${HEAVY_PAGE.replace('$n', '100000')} }`)).toBe(literal);
  });

  it('refuses aliased heavy pages by cost when `first` is a variable, with a typed error naming the limit', async () => {
    const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: ${HEAVY_PAGE}`).join(' ');
    const r = await ask(`query($n: Int) { ${aliases} }`, { n: 200 });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost', max: limits.maxCost });
    expect(r.errors?.[0]?.message).toMatch(/cost/i);
    const small = await ask(`query($n: Int) { ${aliases} }`, { n: 2 });
    expect(refusals(small)).toEqual([]);
  });

  it('refuses too many aliases, too deep a query and too many tokens, each naming its limit', async () => {
    const many = Array.from({ length: limits.maxAliases + 1 }, (_, i) => `m${i}: me { name }`).join(' ');
    expect((await ask(`{ ${many} }`)).errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'aliases', max: limits.maxAliases });
    expect(refusals(await ask('{ sessions { edges { node { models { model } } } } }'))).toEqual([]);
    const strict = createYoga({ schema, plugins: queryLimitPlugins({ ...limits, maxDepth: 3 }), logging: false, maskedErrors: false });
    const res = await strict.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query { ...A } fragment A on Query { sessions { edges { node { id } } } }' }) });
    expect(((await res.json()) as any).errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'depth', max: 3 });
    const tokens = await ask(`{ me { ${Array.from({ length: limits.maxTokens }, () => 'name').join(' ')} } }`);
    expect(tokens.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'tokens', max: limits.maxTokens });
  });

  it('lets introspection through the depth and cost limits', async () => {
    const r = await ask('{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }');
    expect(r.errors).toBeUndefined();
  });
});
