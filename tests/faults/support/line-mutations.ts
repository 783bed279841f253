/**
 * Hostile variants of real transcript lines: truncated, wrong JSON types in every field the
 * counting rules read, huge / negative / NaN numbers, missing ids, reused uuids with other
 * content, invalid UTF-8, deep nesting. Deterministic for a given random source.
 */

/** Paths of every field the counting rules read (see docs counting-rules). */
export const READ_FIELDS: readonly string[][] = [
  ['type'], ['uuid'], ['sessionId'], ['timestamp'], ['cwd'], ['gitBranch'], ['isSidechain'], ['isMeta'],
  ['isCompactSummary'], ['requestId'], ['costUSD'], ['agentId'], ['toolUseResult'], ['tool_use_id'], ['toolUseId'],
  ['message'], ['message', 'id'], ['message', 'model'], ['message', 'role'], ['message', 'content'], ['message', 'usage'],
  ['message', 'usage', 'input_tokens'], ['message', 'usage', 'output_tokens'], ['message', 'usage', 'cache_read_input_tokens'],
  ['message', 'usage', 'cache_creation_input_tokens'], ['message', 'usage', 'cache_creation'],
  ['message', 'usage', 'cache_creation', 'ephemeral_5m_input_tokens'], ['message', 'usage', 'cache_creation', 'ephemeral_1h_input_tokens'],
  ['message', 'content', '0'], ['message', 'content', '0', 'type'], ['message', 'content', '0', 'name'], ['message', 'content', '0', 'id'],
  ['message', 'content', '0', 'input'], ['message', 'content', '0', 'input', 'skill'], ['message', 'content', '0', 'input', 'subagent_type'],
  ['message', 'content', '0', 'tool_use_id'], ['message', 'content', '0', 'is_error'], ['message', 'content', '0', 'text'],
];

const TOKEN_FIELDS = ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'];

export type Mutation =
  | 'truncate'
  | 'wrong_type'
  | 'huge_number'
  | 'negative_tokens'
  | 'nan_tokens'
  | 'missing_ids'
  | 'duplicate_uuid'
  | 'invalid_utf8'
  | 'deep_nesting'
  | 'not_object';

export const MUTATIONS: readonly Mutation[] = ['truncate', 'wrong_type', 'huge_number', 'negative_tokens', 'nan_tokens', 'missing_ids', 'duplicate_uuid', 'invalid_utf8', 'deep_nesting', 'not_object'];

type Json = Record<string, unknown>;

function wrongValue(rand: () => number): unknown {
  const pick = Math.floor(rand() * 9);
  return [42, -1, 'a string', true, null, [], {}, [1, 'x', null], 1.5][pick];
}

function setPath(obj: Json, path: readonly string[], value: unknown | undefined): void {
  let cur: any = obj;
  for (const k of path.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    if (cur[k] === undefined || cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k];
  }
  const last = path[path.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

function usageOf(obj: Json): Json {
  const message = (obj.message && typeof obj.message === 'object' ? obj.message : (obj.message = {})) as Json;
  return (message.usage && typeof message.usage === 'object' ? message.usage : (message.usage = {})) as Json;
}

/**
 * One mutated line (bytes, without its newline) from a valid line. `uuids` holds uuids seen so
 * far, for re-use with different content.
 */
export function mutateLine(line: string, mutation: Mutation, rand: () => number, uuids: string[]): Buffer {
  const obj = JSON.parse(line) as Json;
  switch (mutation) {
    case 'truncate': {
      const bytes = Buffer.from(line);
      return bytes.subarray(0, 1 + Math.floor(rand() * (bytes.length - 2)));
    }
    case 'wrong_type': {
      // Several fields at once, each to a type the rules do not expect.
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) setPath(obj, READ_FIELDS[Math.floor(rand() * READ_FIELDS.length)], wrongValue(rand));
      break;
    }
    case 'huge_number': {
      const usage = usageOf(obj);
      // Beyond 2^53 (not a safe integer, so ignored by the rules). Number.MAX_SAFE_INTEGER itself
      // is a valid count the database cannot price: see the skipped test in fuzz-input.int.spec.ts.
      usage[TOKEN_FIELDS[Math.floor(rand() * 4)]] = [1e308, 2 ** 63, 9007199254740993, 1e21][Math.floor(rand() * 4)];
      break;
    }
    case 'negative_tokens':
      usageOf(obj)[TOKEN_FIELDS[Math.floor(rand() * 4)]] = -1 - Math.floor(rand() * 1e6);
      break;
    case 'nan_tokens': {
      const usage = usageOf(obj);
      usage[TOKEN_FIELDS[Math.floor(rand() * 4)]] = ['NaN', 'Infinity', '12', '', '1e3', '0x10'][Math.floor(rand() * 6)];
      // JSON has no NaN literal; a bare one makes the whole line malformed.
      if (rand() < 0.2) return Buffer.from(JSON.stringify(obj).replace(/"input_tokens":[^,}]*/, '"input_tokens":NaN'));
      break;
    }
    case 'missing_ids':
      for (const p of [['uuid'], ['sessionId'], ['requestId'], ['message', 'id'], ['timestamp']]) if (rand() < 0.6) setPath(obj, p, undefined);
      break;
    case 'duplicate_uuid':
      if (uuids.length) obj.uuid = uuids[Math.floor(rand() * uuids.length)];
      obj.timestamp = new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 86_400_000)).toISOString();
      usageOf(obj).output_tokens = Math.floor(rand() * 1000);
      break;
    case 'invalid_utf8': {
      const bytes = Buffer.from(JSON.stringify(obj));
      const at = 1 + Math.floor(rand() * (bytes.length - 2));
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80]][Math.floor(rand() * 4)] as number[]), bytes.subarray(at)]);
    }
    case 'deep_nesting': {
      const depth = rand() < 0.5 ? 100_000 : 2_000;
      return Buffer.from(`{"type":"user","uuid":"deep-${Math.floor(rand() * 1e9)}","x":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    }
    case 'not_object':
      return Buffer.from([JSON.stringify([obj]), '"just a string"', '42', 'null', 'true'][Math.floor(rand() * 5)]);
  }
  return Buffer.from(JSON.stringify(obj));
}
