import { backoffMs, SseParser } from '../core/sse.parser';

/** A GraphQL or transport failure, with the API's stable `extensions.code` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'UNAUTHENTICATED';
}

/** Connection state of one subscription, which the live indicator summarises. */
export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function errorOf(body: GraphqlResponse<unknown>, status: number): ApiError | null {
  const first = body.errors?.[0];
  if (first) return new ApiError(first.extensions?.code ?? (status === 401 ? 'UNAUTHENTICATED' : 'GRAPHQL'), first.message);
  if (status === 401) return new ApiError('UNAUTHENTICATED', 'a valid token is required');
  if (status >= 400 || body.data == null) return new ApiError('HTTP', `the API answered ${status}`);
  return null;
}

/** Handlers of a live subscription. */
export interface SubscriptionHandlers<T> {
  next(data: T): void;
  state?(state: LinkState): void;
  /** A fatal error (bad token, invalid query): the subscription stops and does not retry. */
  fatal?(err: ApiError): void;
}

/**
 * Talks GraphQL to the same-origin API: queries as POST JSON, subscriptions as GraphQL over SSE
 * (a streamed POST with `Accept: text/event-stream`, so the bearer token travels in a header and
 * proxies see plain HTTP), re-opened with backoff whenever the stream drops.
 */
export class GraphqlClient {
  constructor(
    private readonly token: () => string | null,
    private readonly endpoint = '/graphql',
  ) {}

  /** The `Authorization` value requests carry, null without a token (downloads send it too). */
  authorization(): string | null {
    const t = this.token();
    return t ? `Bearer ${t}` : null;
  }

  private headers(accept: string): HeadersInit {
    const h: Record<string, string> = { 'content-type': 'application/json', accept };
    const t = this.token();
    if (t) h.authorization = `Bearer ${t}`;
    return h;
  }

  async query<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.endpoint, { method: 'POST', headers: this.headers('application/graphql-response+json, application/json'), body: JSON.stringify({ query, variables }), signal });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new ApiError('NETWORK', 'the API cannot be reached', { cause });
    }
    let body: GraphqlResponse<T>;
    try {
      body = (await res.json()) as GraphqlResponse<T>;
    } catch (cause) {
      throw new ApiError('HTTP', `the API answered ${res.status} without JSON`, { cause });
    }
    const err = errorOf(body, res.status);
    if (err) throw err;
    return body.data as T;
  }

  /** Opens a subscription; the returned function closes it. */
  subscribe<T>(query: string, variables: Record<string, unknown>, handlers: SubscriptionHandlers<T>): () => void {
    let stopped = false;
    let attempt = 0;
    let controller: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const setState = (s: LinkState) => handlers.state?.(s);

    const open = async () => {
      controller = new AbortController();
      setState(attempt === 0 ? 'connecting' : 'reconnecting');
      try {
        const res = await fetch(this.endpoint, { method: 'POST', headers: this.headers('text/event-stream'), body: JSON.stringify({ query, variables }), signal: controller.signal });
        if (!res.ok || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
          const body = (await res.json().catch(() => ({}))) as GraphqlResponse<T>;
          const err = errorOf(body, res.status) ?? new ApiError('HTTP', `the API answered ${res.status}`);
          if (err.code === 'UNAUTHENTICATED' || err.code === 'GRAPHQL_VALIDATION_FAILED' || err.code === 'BAD_USER_INPUT' || err.code === 'FORBIDDEN') {
            stopped = true;
            setState('stopped');
            handlers.fatal?.(err);
            return;
          }
          throw err;
        }
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        let opened = false;
        for (;;) {
          const { value, done } = await reader.read();
          if (done || stopped) break;
          if (!opened) {
            // The first bytes (yoga sends a ping at once) prove the stream is open.
            opened = true;
            attempt = 0;
            setState('live');
          }
          for (const ev of parser.push(value)) {
            if (ev.event !== 'next' || !ev.data) continue;
            const body = JSON.parse(ev.data) as GraphqlResponse<T>;
            if (body.errors?.length) {
              const code = body.errors[0].extensions?.code ?? 'GRAPHQL';
              if (code === 'UNAUTHENTICATED') {
                stopped = true;
                setState('stopped');
                handlers.fatal?.(new ApiError(code, body.errors[0].message));
                return;
              }
              continue;
            }
            if (body.data) handlers.next(body.data);
          }
        }
      } catch (err) {
        if (stopped) return;
        void err;
      }
      if (stopped) return;
      // The stream ended or failed: try again, slower each time.
      setState('reconnecting');
      timer = setTimeout(() => void open(), backoffMs(attempt++));
    };
    void open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      setState('stopped');
    };
  }
}
