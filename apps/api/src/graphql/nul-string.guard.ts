import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * PostgreSQL cannot store or compare a NUL character, so a string argument carrying one would
 * fail deep in SQL as an internal error. These guards refuse it up front as the caller's mistake.
 */

/** The name of the first variable whose value (at any depth) holds a NUL character. */
export function variableWithNul(variables: Record<string, unknown> | null | undefined): string | undefined {
  if (!variables) return undefined;
  for (const [name, value] of Object.entries(variables)) if (holdsNul(value)) return name;
  return undefined;
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsNul);
  return false;
}

/** A validation rule refusing string literals with a NUL character, naming their argument. */
export const nulLiteralRule: ValidationRule = (context) => ({
  Argument(node) {
    let nul = false;
    const visit = (v: { kind: string; value?: unknown; values?: readonly unknown[]; fields?: readonly { value: unknown }[] }) => {
      if (v.kind === 'StringValue' && typeof v.value === 'string' && v.value.includes('\u0000')) nul = true;
      for (const x of v.values ?? []) visit(x as typeof v);
      for (const f of v.fields ?? []) visit(f.value as typeof v);
    };
    visit(node.value as never);
    if (nul) {
      context.reportError(
        new GraphQLError(`${node.name.value}: must not contain a NUL character`, {
          nodes: [node],
          extensions: { code: 'BAD_USER_INPUT', argument: node.name.value },
        }),
      );
    }
  },
});
