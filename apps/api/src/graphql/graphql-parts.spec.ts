import { GraphQLError, Kind, buildSchema, parse,  type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { asClientMistake, maskError } from './api-errors';
import { serializeBigInt, BigIntScalar } from './bigint.scalar';
import { selectedFields } from './selected-fields';
import { typeDefs } from './schema.sdl';

describe('BigInt scalar', () => {
  it('is a JSON number up to 2^53 and a string beyond', () => {
    expect(serializeBigInt(42)).toBe(42);
    expect(serializeBigInt('9007199254740992')).toBe(9007199254740992);
    expect(serializeBigInt(9007199254740993n)).toBe('9007199254740993');
    expect(serializeBigInt('-18446744073709551615')).toBe('-18446744073709551615');
  });

  it('refuses what is not an integer', () => {
    expect(() => serializeBigInt(1.5)).toThrow(GraphQLError);
    expect(() => BigIntScalar.parseValue('12x')).toThrow(/BigInt/);
    expect(BigIntScalar.parseValue('123456789012345678901')).toBe(123456789012345678901n);
  });
});

describe('schema', () => {
  const schema = buildSchema(typeDefs);

  it('has a description on every field of the schema', () => {
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !('getFields' in type)) continue;
      for (const field of Object.values((type as any).getFields() as Record<string, { description?: string }>)) {
        expect([type.name, field.description ? 'ok' : 'missing']).toEqual([type.name, 'ok']);
      }
    }
  });
});

describe('maskError', () => {
  it('keeps deliberate codes, maps named errors and hides the rest', () => {
    const reported: unknown[] = [];
    const report = (e: unknown) => reported.push(e);
    const coded = new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } });
    expect(maskError(coded, report).extensions.code).toBe('FORBIDDEN');
    const cursor = Object.assign(new Error('invalid pagination cursor'), { code: 'DB_INVALID_CURSOR' });
    expect(maskError(new GraphQLError('x', { originalError: cursor }), report).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const sqlError = new Error('relation "secret_table" does not exist');
    const masked = maskError(new GraphQLError(sqlError.message, { originalError: sqlError }), report);
    expect(masked.message).toBe('internal error');
    expect(masked.extensions.code).toBe('INTERNAL');
    expect(reported).toEqual([sqlError]);
  });
});

describe('asClientMistake', () => {
  it('types a store error that is the caller\'s mistake, and leaves faults and GraphQL errors alone', () => {
    const cursor = Object.assign(new Error('invalid pagination cursor'), { code: 'DB_INVALID_CURSOR' });
    const typed = asClientMistake(cursor);
    expect(typed).toBeInstanceOf(GraphQLError);
    expect(typed?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    // Through maskError it stays what it is.
    expect(maskError(new GraphQLError(typed!.message, { originalError: typed }), () => undefined).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(asClientMistake(Object.assign(new Error('down'), { code: 'DB_UNAVAILABLE' }))).toBeUndefined();
    expect(asClientMistake(new Error('relation "secret_table" does not exist'))).toBeUndefined();
    expect(asClientMistake(new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } }))).toBeUndefined();
  });
});

describe('selectedFields', () => {
  const infoOf = (q: string) => {
    const doc = parse(q);
    const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const fragments = Object.fromEntries(
      doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
    );
    return { fieldNodes: op.selectionSet.selections as FieldNode[], fragments };
  };

  it('names fields under aliases, fragments (also cyclic ones) and every field node of the response key', () => {
    const info = infoOf('{ usage { a: day ...F ... on UsageRow { model ...G } } usage { messages } } fragment F on UsageRow { costUsd ...G } fragment G on UsageRow { totalTokens ...F }');
    expect([...selectedFields(info)].sort()).toEqual(['costUsd', 'day', 'messages', 'model', 'totalTokens']);
  });

  it('keeps fields under @skip or @include: computing one too many is harmless', () => {
    expect([...selectedFields(infoOf('{ usage { day costUsd @skip(if: true) } }'))].sort()).toEqual(['costUsd', 'day']);
  });
});
