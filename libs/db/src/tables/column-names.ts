import type { GraphQLFields } from '@ccpulse/domain';

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/** `S` in snake_case; `afterDigit` says whether the character before `S` was a digit. */
type SnakeCase<S extends string, afterDigit extends boolean = false> = S extends `${infer H}${infer T}`
  ? H extends Digit
    ? `${afterDigit extends true ? '' : '_'}${H}${SnakeCase<T, true>}`
    : H extends Lowercase<H>
      ? `${H}${SnakeCase<T>}`
      : `_${Lowercase<H>}${SnakeCase<T>}`
  : S;

/**
 * The column of a field: its name in snake_case, a capital or a run of digits starting a word
 * (`toolCalls` → `tool_calls`, `cacheCreation5mTokens` → `cache_creation_5m_tokens`). A field
 * counted in the domain is stored under this name, so the column is never written down twice.
 */
export type ColumnName<F extends string> = SnakeCase<F>;

/** The column of a field (`ColumnName`). */
export function columnName<F extends string>(field: F): ColumnName<F> {
  return field.replace(/[A-Z]|\d+/g, (w) => `_${w.toLowerCase()}`) as ColumnName<F>;
}

/** The columns of a list's fields, in the list's order. */
export function columnsOf<L extends GraphQLFields>(fields: L): ColumnName<keyof L & string>[] {
  return Object.keys(fields).map((f) => columnName(f as keyof L & string));
}

/** A list's values (of a summary or a state) under their columns: a row's part to write. */
export function toColumns<L extends GraphQLFields, T extends Record<keyof L, unknown>>(
  fields: L,
  from: T,
): { [F in keyof L & string as ColumnName<F>]: T[F] } {
  const out: Record<string, unknown> = {};
  for (const f of Object.keys(fields)) out[columnName(f)] = from[f];
  return out as { [F in keyof L & string as ColumnName<F>]: T[F] };
}

/** A stored row's columns of a list under the list's field names, in its order. */
export function fromColumns<L extends GraphQLFields, R extends Record<ColumnName<keyof L & string>, unknown>>(
  fields: L,
  row: R,
): { [F in keyof L & string]: R[ColumnName<F>] } {
  const out: Record<string, unknown> = {};
  const columns: Record<string, unknown> = row;
  for (const f of Object.keys(fields)) out[f] = columns[columnName(f)];
  return out as { [F in keyof L & string]: R[ColumnName<F>] };
}
