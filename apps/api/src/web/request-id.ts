import { randomUUID } from 'node:crypto';

// A caller-supplied id is kept only when it is short and plain, so it cannot forge log lines.
const PLAIN_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Gives every HTTP request an id (the caller's `X-Request-Id` when plain, else a new UUID),
 * echoed in the response's `X-Request-Id` and put in the log lines about the request, so a
 * user's report and the server's log meet.
 */
export function requestId() {
  return (req: { headers: Record<string, unknown>; requestId?: string }, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && PLAIN_ID.test(given) ? given : randomUUID();
    req.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

/** The id {@link requestId} gave the request behind a GraphQL context (HTTP or WebSocket upgrade). */
export function requestIdOf(context: Record<string, any> | undefined): string | undefined {
  const id = context?.req?.requestId ?? context?.extra?.request?.requestId;
  return typeof id === 'string' ? id : undefined;
}
