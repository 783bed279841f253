import type { GraphQLFields } from '@ccpulse/domain';

/**
 * The SDL of fields the domain declares once (a description and a field each), indented for a
 * type's body, so types that serve the same counters cannot drift apart.
 */
export function sdlFields(fields: GraphQLFields): string {
  return Object.entries(fields)
    .map(([name, f]) => `  """${f.doc}"""\n  ${name}: ${f.type}`)
    .join('\n');
}
