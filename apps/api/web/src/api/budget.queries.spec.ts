import { buildSchema, parse, validate } from 'graphql';
import { budgetTypeDefs } from '../../../src/budgets/budgets.sdl';
import { typeDefs } from '../../../src/graphql/schema.sdl';
import * as queries from './budget.queries';

// The budget operations against the API's SDL (the schema plus its budgets extension).
describe('dashboard budget operations', () => {
  const schema = buildSchema(`${typeDefs}\n${budgetTypeDefs}`);
  const operations = Object.entries(queries as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');

  it('has operations to check', () => {
    expect(operations.map(([name]) => name).sort()).toEqual(['BUDGETS_QUERY', 'BUDGET_ALERTS_SUBSCRIPTION', 'DELETE_BUDGET', 'SET_BUDGET']);
  });

  it.each(operations)('%s is valid against the schema', (_name, text) => {
    expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
  });

  it('gives every budget field a description', () => {
    for (const name of ['Budget', 'BudgetAlert']) {
      const type = schema.getType(name) as unknown as { getFields(): Record<string, { description?: string | null }> };
      for (const [field, def] of Object.entries(type.getFields())) expect([name, field, !!def.description]).toEqual([name, field, true]);
    }
    for (const f of ['budgets']) expect(schema.getQueryType()!.getFields()[f].description).toBeTruthy();
  });
});
