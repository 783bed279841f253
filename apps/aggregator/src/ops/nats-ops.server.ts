import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { lastValueFrom } from 'rxjs';

/** The reply of every ops request: the handler's value, or why there is none. */
export type OpsReply<T = unknown> = { ok: true; response: T } | { ok: false; error: string; code?: string };

/**
 * A Nest microservice transport for the ops control plane on the aggregator's existing NATS
 * connection (`@nats-io/transport-node` v3; Nest's built-in NATS transport needs the legacy
 * `nats` v2 package). Request/reply on `<prefix>.<pattern>`; `@MessagePattern('replay.start')`
 * answers `<prefix>.replay.start`. Payloads are JSON; one reply per request (`OpsReply`).
 * Every aggregator hears every request; only an active one (the leader of its version) answers,
 * so a standby never replies "I am on standby" in place of the leader.
 */
export class NatsOpsServer extends Server implements CustomTransportStrategy {
  private subscription: Subscription | undefined;

  constructor(
    private readonly nc: () => NatsConnection,
    private readonly prefix: string,
    private readonly isActive: () => boolean = () => true,
  ) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    const sub = this.nc().subscribe(`${this.prefix}.>`);
    this.subscription = sub;
    void (async () => {
      for await (const msg of sub) {
        if (!this.isActive()) continue;
        const pattern = msg.subject.slice(this.prefix.length + 1);
        void this.answer(pattern, msg.data).then((reply) => {
          if (msg.reply) msg.respond(JSON.stringify(reply));
        });
      }
    })();
    callback();
  }

  private async answer(pattern: string, data: Uint8Array): Promise<OpsReply> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) return { ok: false, error: `no ops handler for '${pattern}'`, code: 'OPS_UNKNOWN_PATTERN' };
    try {
      const body = data.length > 0 ? JSON.parse(new TextDecoder().decode(data)) : {};
      const result = await lastValueFrom(this.transformToObservable(await handler(body)), { defaultValue: null });
      return { ok: true, response: result };
    } catch (err) {
      // Nest hands RpcException payloads through as plain objects; anything else as an Error.
      const e = err as { message?: string; code?: string; error?: { message?: string; code?: string } };
      const message = e?.error?.message ?? e?.message ?? String(err);
      const code = e?.error?.code ?? e?.code;
      return { ok: false, error: message, ...(typeof code === 'string' ? { code } : {}) };
    }
  }

  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  on(): void {
    // No transport events to expose: connection status is the aggregator's NATS connection's.
  }

  unwrap<T>(): T {
    return this.subscription as T;
  }
}
