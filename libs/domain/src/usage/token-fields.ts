import type { TokenCounts } from '../entry/entry';
import type { Counts, GraphQLField } from '../fields/field-spec';

/**
 * The six token counters under the names every sum of them carries (a session, a usage row, a
 * report row), each with the `TokenCounts` key of a response it sums.
 */
export const TOKEN_FIELDS = {
  inputTokens: { key: 'input', type: 'BigInt!', doc: 'Input tokens.' },
  outputTokens: { key: 'output', type: 'BigInt!', doc: 'Output tokens.' },
  cacheReadTokens: { key: 'cacheRead', type: 'BigInt!', doc: 'Cache read tokens.' },
  cacheCreationTokens: { key: 'cacheCreation', type: 'BigInt!', doc: 'Cache creation tokens (5-minute and 1-hour writes together).' },
  cacheCreation5mTokens: { key: 'cacheCreation5m', type: 'BigInt!', doc: 'Cache creation tokens written with a 5-minute lifetime.' },
  cacheCreation1hTokens: { key: 'cacheCreation1h', type: 'BigInt!', doc: 'Cache creation tokens written with a 1-hour lifetime.' },
} as const satisfies Record<string, GraphQLField & { key: keyof TokenCounts }>;

export type TokenField = keyof typeof TOKEN_FIELDS;
export type TokenFields = Counts<typeof TOKEN_FIELDS>;
const TOKEN_FIELD_NAMES = Object.keys(TOKEN_FIELDS) as TokenField[];
const TOKEN_KEYS = TOKEN_FIELD_NAMES.map((f) => TOKEN_FIELDS[f].key);

/** The counters a total adds (the 5m/1h split is not: it is inside cacheCreation). */
export const TOTALLED_TOKEN_FIELDS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheCreationTokens'] as const satisfies readonly TokenField[];
export type TotalledTokens = Pick<TokenFields, (typeof TOTALLED_TOKEN_FIELDS)[number]>;

/** What every usage sum (a usage row, a session) serves after its counters. */
export const USAGE_SUM_FIELDS = {
  ...TOKEN_FIELDS,
  totalTokens: { type: 'BigInt!', doc: 'Input + output + cache read + cache creation tokens.' },
  costUsd: { type: 'Float!', doc: 'Cost in USD.' },
  unpricedTokens: { type: 'BigInt!', doc: 'Tokens of models without a price: counted in the totals, costed at 0 (costUsd is a lower bound when > 0).' },
} as const satisfies Record<string, GraphQLField>;

const TOTALLED_KEYS = TOTALLED_TOKEN_FIELDS.map((f) => TOKEN_FIELDS[f].key);

/** The total of a response or a sum: its `TOTALLED_TOKEN_FIELDS` added. */
export function totalTokens(t: Pick<TokenCounts, (typeof TOTALLED_KEYS)[number]>): number {
  let total = 0;
  for (const k of TOTALLED_KEYS) total += t[k];
  return total;
}

/** The same total over counters under their field names (a stored row, a summary). */
export function totalOfTokenFields(f: TotalledTokens): number {
  let total = 0;
  for (const name of TOTALLED_TOKEN_FIELDS) total += f[name];
  return total;
}

/** A response's (or a sum's) counters under their field names, in declared order. */
export function tokenFieldsOf(t: TokenCounts): TokenFields {
  const out = {} as TokenFields;
  for (const f of TOKEN_FIELD_NAMES) out[f] = t[TOKEN_FIELDS[f].key];
  return out;
}

/** Adds a response's counters into a sum kept under the field names (mutates `into`). */
export function addToTokenFields(into: TokenFields, t: TokenCounts): TokenFields {
  for (const f of TOKEN_FIELD_NAMES) into[f] += t[TOKEN_FIELDS[f].key];
  return into;
}

/** No tokens: what a session without kept responses sums to. */
export const ZERO_TOKENS: TokenCounts = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cacheCreation5m: 0, cacheCreation1h: 0 });

export function zeroTokens(): TokenCounts {
  return { ...ZERO_TOKENS };
}

/** Adds one response's tokens into a running sum (mutates `into`). */
export function addTokens(into: TokenCounts, t: TokenCounts): TokenCounts {
  for (const k of TOKEN_KEYS) into[k] += t[k];
  return into;
}
