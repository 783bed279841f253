import pg from 'pg';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;

/**
 * Type parsers for one pool (never the global pg.types): int8 → `number` when it is a safe
 * integer, else `bigint` so nothing is silently rounded; numeric (money, SUM of int8) →
 * `number`; `date` → the `YYYY-MM-DD` text as stored (a JS Date would shift it by the zone).
 */
export function ccpulseTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8_OID) return parseInt8;
      if (oid === NUMERIC_OID) return (v: string) => Number(v);
      if (oid === DATE_OID) return (v: string) => v;
      return pg.types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export function parseInt8(value: string): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value);
}
