/**
 * A field of the public contract, declared once where its value is counted: its GraphQL type and
 * its description. The API's SDL, the report's rows and the dashboard's selections are derived
 * from such lists, so a new counter is named in one place instead of a dozen.
 */
export interface GraphQLField {
  /** The GraphQL type as the SDL writes it (`Int!`, `BigInt!`, `Float!`). */
  readonly type: string;
  /** The SDL description (the API's documentation). */
  readonly doc: string;
}

/** Fields by name; their order is the order the SDL and the selections list them in. */
export type GraphQLFields = Readonly<Record<string, GraphQLField>>;

/** The fields' names as a GraphQL selection (`a b c`), in declared order. */
export function selectionOf(fields: GraphQLFields): string {
  return Object.keys(fields).join(' ');
}

/** Some fields of a list, in the list's order (for a type that serves only those). */
export function pickFields<F extends GraphQLFields, K extends keyof F & string>(fields: F, names: readonly K[]): Pick<F, K> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => (names as readonly string[]).includes(name))) as Pick<F, K>;
}

/** Numbers under every name of a list: what the counts, counters and outcomes all are. */
export type Counts<F extends GraphQLFields> = Record<keyof F, number>;

/** Zero under every name of the list, in its order. */
export function zeroCounts<F extends GraphQLFields>(fields: F): Counts<F> {
  const out = {} as Counts<F>;
  for (const name of Object.keys(fields) as (keyof F)[]) out[name] = 0;
  return out;
}

/** Just the listed numbers of `from` (a state, a summary, a row), in the list's order. */
export function countsOf<F extends GraphQLFields>(fields: F, from: Counts<F>): Counts<F> {
  const out = {} as Counts<F>;
  for (const name of Object.keys(fields) as (keyof F)[]) out[name] = from[name];
  return out;
}

/** Adds `from`'s listed numbers into `into` (mutated; its other fields are left alone). */
export function addCounts<F extends GraphQLFields, T extends Counts<F>>(fields: F, into: T, from: Counts<F>): T {
  const sums: Counts<F> = into;
  for (const name of Object.keys(fields) as (keyof F)[]) sums[name] += from[name];
  return into;
}
