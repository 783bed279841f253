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
