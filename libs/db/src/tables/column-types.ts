import type { ColumnType, Generated } from 'kysely';

/**
 * An int8 column as read back: a JS `number`. The pool's type parser returns a number when the
 * value is within ±2^53 and a `bigint` beyond that (see connection/pg-types.ts); token counters
 * never get near 2^53, so the row types say `number`.
 */
export type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;
/** A nullable int8 column. */
export type NullableInt8 = ColumnType<number | null, number | bigint | string | null, number | bigint | string | null>;
/** `numeric` money (USD) read back as a JS number; written as number or decimal string. */
export type Money = ColumnType<number, number | string, number | string>;
/** `timestamptz`: read as a Date, written as a Date or an RFC 3339 string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
/** `timestamptz DEFAULT now()`. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
export type { Generated };
