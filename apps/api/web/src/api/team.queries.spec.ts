import { buildSchema, parse, validate } from 'graphql';
import { typeDefs } from '../../../src/graphql/schema.sdl';
import { teamTypeDefs } from '../../../src/graphql/team.sdl';
import * as queries from './team.queries';

// The team view's operations must be valid against the API's SDL with its team part.
describe('team view operations', () => {
  const schema = buildSchema(`${typeDefs}\n${teamTypeDefs}`);
  const operations = Object.entries(queries as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && /^(query|subscription)/.test(e[1]));

  it('has operations to check', () => {
    expect(operations.map(([name]) => name).sort()).toEqual(['TEAM_HOME_QUERY', 'TEAM_PAGE_QUERY']);
  });

  it.each(operations)('%s is valid against the schema', (_name, text) => {
    expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
  });
});
