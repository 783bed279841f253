import type { GraphQLFields } from '@ccpulse/domain';
import type { BigIntValue } from './format';

/** What the API sends for a field of this GraphQL type (a BigInt may arrive as a decimal string). */
export type GraphQLValue<T extends string> = T extends 'BigInt!' ? BigIntValue : T extends 'Int!' | 'Float!' ? number : never;

/** The values of fields the domain declares once (session counts, token counters, outcomes). */
export type GraphQLValues<F extends GraphQLFields> = { -readonly [K in keyof F]: GraphQLValue<F[K]['type']> };
