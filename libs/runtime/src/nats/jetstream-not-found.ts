/** A JetStream API "not found" (stream, consumer or message) — the one error worth branching on. */
export function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  const status = (err as { status?: unknown })?.status;
  return code === 10014 || code === 10059 || code === 10037 || status === 404;
}
