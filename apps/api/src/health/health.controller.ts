import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { readinessReport, readinessStatus, type ReadinessCheck, type ReadinessReport } from '@ccpulse/domain';
import { API_STORE, NATS_CONNECTION } from '../api.tokens';
import type { ApiStore } from '../store/api-store';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

/** Checks Postgres (reachable, migrated) and NATS (connected, answering a ping). */
export async function checkReadiness(store: ApiStore, nc: NatsConnection): Promise<ReadinessReport> {
  const failed = (what: string) => (e: Error): ReadinessCheck => ({ ok: false, error: `${what} unreachable: ${e.message}` });
  const [postgres, nats] = await Promise.all([
    withTimeout(store.readiness(), 'postgres').then((r): ReadinessCheck => (r.ok ? { ok: true } : { ok: false, error: r.reason }), failed('postgres')),
    nc.isClosed()
      ? Promise.resolve<ReadinessCheck>({ ok: false, error: 'connection closed' })
      : withTimeout(nc.rtt(), 'nats').then((): ReadinessCheck => ({ ok: true }), failed('nats')),
  ]);
  return readinessReport({ nats, postgres });
}

/** `/healthz`: the process is up. `/readyz`: the shared readiness report, 503 naming the failing dependency until all are ok. */
@Controller()
export class HealthController {
  constructor(
    @Inject(API_STORE) private readonly store: ApiStore,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() res: any) {
    const report = await checkReadiness(this.store, this.nc);
    res.status(readinessStatus(report)).json(report);
  }
}
