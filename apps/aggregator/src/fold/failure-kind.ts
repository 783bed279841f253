/**
 * How a failed batch transaction is handled:
 * - `transient`: Postgres unreachable, restarting, out of resources, a serialization conflict —
 *   retry the same batch with backoff, ack nothing meanwhile;
 * - `data`: this input cannot be stored (a data exception, a constraint, a fold that threw on a
 *   strange entry) — apply the batch one message at a time and reject the one that fails.
 * SQL errors that point at a bug rather than at the data (undefined table, syntax) are transient:
 * rejecting every message because of a bug would lose the stream; blocking keeps it.
 */
export type FailureKind = 'transient' | 'data';

const NODE_NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

export function failureKind(err: unknown): FailureKind {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string') {
    if (NODE_NET.has(code)) return 'transient';
    if (/^(22|23)/.test(code)) return 'data';
    return 'transient';
  }
  if (err instanceof TypeError || err instanceof RangeError) return 'data';
  return 'transient';
}
