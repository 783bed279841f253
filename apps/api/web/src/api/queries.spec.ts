import { buildSchema, parse, validate } from 'graphql';
import { typeDefs } from '../../../src/graphql/schema.sdl';
import * as queries from './queries';

// Every operation the dashboard sends must be valid against the API's SDL, the contract; a
// renamed field fails here rather than in someone's browser.
describe('dashboard operations', () => {
  const schema = buildSchema(typeDefs);
  const operations = Object.entries(queries as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');

  it('has operations to check', () => {
    expect(operations.length).toBeGreaterThanOrEqual(9);
  });

  it.each(operations)('%s is valid against the schema', (_name, text) => {
    expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
  });
});
