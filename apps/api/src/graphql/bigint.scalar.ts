import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER) + 1n; // 2^53

/**
 * Turns a counter (number, bigint or the decimal string pg returns for `bigint`) into its wire
 * form: a JSON number when |n| <= 2^53, else a decimal string, so no consumer loses precision.
 */
export function serializeBigInt(value: unknown): number | string {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) n = BigInt(value);
  else throw new GraphQLError(`BigInt cannot represent ${JSON.stringify(value)}`);
  const abs = n < 0n ? -n : n;
  return abs <= SAFE ? Number(n) : n.toString();
}

function parse(value: unknown): bigint {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new GraphQLError(`BigInt expects an integer or a decimal string, got ${JSON.stringify(value)}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/** 64-bit-safe integer scalar for token counters (see the SDL description). */
export const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  description: 'A 64-bit-safe integer: JSON number when |n| <= 2^53, else a decimal string.',
  serialize: serializeBigInt,
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return parse(ast.kind === Kind.INT ? ast.value : ast.value);
    throw new GraphQLError('BigInt expects an integer or a decimal string', { nodes: [ast], extensions: { code: 'BAD_USER_INPUT' } });
  },
});
