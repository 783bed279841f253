/** A minimal GraphQL-over-HTTP client and an SSE subscription reader for the e2e suites. */

export interface GraphqlClient {
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Subscribes over GraphQL SSE; `next()` resolves with each event's `data`. */
  subscribe(query: string, variables?: Record<string, unknown>): Promise<SseSubscription>;
}

export interface SseSubscription {
  next(timeoutMs: number): Promise<any>;
  close(): void;
}

export function graphqlClient(baseUrl: string, token: string): GraphqlClient {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return {
    async query(query, variables = {}) {
      const res = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
      if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    async subscribe(query, variables = {}) {
      const abort = new AbortController();
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { ...headers, accept: 'text/event-stream' },
        body: JSON.stringify({ query, variables }),
        signal: abort.signal,
      });
      if (!res.ok || !res.body) throw new Error(`SSE subscribe failed: HTTP ${res.status}`);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      const events: any[] = [];
      const readEvent = async (): Promise<any> => {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trim())
              .join('\n');
            if (data) return JSON.parse(data);
            continue;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('SSE stream ended');
          buffer += decoder.decode(value, { stream: true });
        }
      };
      return {
        async next(timeoutMs) {
          if (events.length) return events.shift();
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no subscription event within ${timeoutMs} ms`)), timeoutMs);
          });
          try {
            const event = await Promise.race([readEvent(), timeout]);
            if (event.errors) throw new Error(`subscription error: ${JSON.stringify(event.errors)}`);
            return event.data;
          } finally {
            clearTimeout(timer);
          }
        },
        close: () => abort.abort(),
      };
    },
  };
}
