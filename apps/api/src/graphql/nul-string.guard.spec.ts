import { buildSchema, parse, validate } from 'graphql';
import { nulLiteralRule, variableWithNul } from './nul-string.guard';

describe('NUL characters in string arguments', () => {
  it('names the first variable holding one, at any depth', () => {
    expect(variableWithNul({ a: 'fine', b: ['x', 'y\u0000'] })).toBe('b');
    expect(variableWithNul({ f: { user: 'a\u0000' } })).toBe('f');
    expect(variableWithNul({ a: 'fine', n: 3 })).toBeUndefined();
    expect(variableWithNul(undefined)).toBeUndefined();
  });

  it('refuses a literal holding one as BAD_USER_INPUT naming its argument', () => {
    const schema = buildSchema('type Query { usage(projects: [String!]): Int }');
    const errors = validate(schema, parse('{ usage(projects: ["ok", "bad\\u0000"]) }'), [nulLiteralRule]);
    expect(errors.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'projects' }]);
    expect(validate(schema, parse('{ usage(projects: ["ok"]) }'), [nulLiteralRule])).toEqual([]);
  });
});
