/**
 * Before migrations and the apps: is NATS answering at NATS_URL and PostgreSQL at DATABASE_URL?
 * Without this a missing server showed as restart loops with stack traces and a last hint that
 * blamed whichever app gave up first.
 */
import { answers } from './embedded/tcp-port';

/** One dependency that does not answer, and what to do about it. */
export interface DownDependency {
  name: 'NATS' | 'PostgreSQL';
  setting: 'NATS_URL' | 'DATABASE_URL';
  /** Where it was looked for (no credentials). */
  where: string;
  hint: string;
}

type Probe = (host: string, port: number) => Promise<boolean>;

/** host:port of each server in a NATS_URL (a comma list; `nats://`, `tls://`, `ws://` or bare). */
export function natsAddresses(url: string): { host: string; port: number }[] {
  return url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const u = new URL(/^[a-z]+:\/\//i.test(s) ? s : `nats://${s}`);
      const fallback = u.protocol === 'ws:' ? 80 : u.protocol === 'wss:' ? 443 : 4222;
      return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || fallback };
    });
}

/** host:port of DATABASE_URL, or undefined for a Unix socket (`?host=/run/postgresql`) we cannot probe by TCP. */
export function postgresAddress(url: string): { host: string; port: number } | undefined {
  const u = new URL(url);
  const socketHost = u.searchParams.get('host');
  if (socketHost?.startsWith('/')) return undefined;
  return { host: (socketHost || u.hostname || '127.0.0.1').replace(/^\[|\]$/g, ''), port: Number(u.searchParams.get('port') || u.port) || 5432 };
}

const EMBEDDED = 'or leave it unset (ccpulse then runs its own when nothing answers on the default port), or pass --embedded';

/** The dependencies of `env` that do not answer; empty when both do. */
export async function checkDependencies(env: Readonly<Record<string, string | undefined>>, probe: Probe = answers): Promise<DownDependency[]> {
  const down: DownDependency[] = [];
  const natsUrl = env.NATS_URL ?? '';
  const nats = natsAddresses(natsUrl);
  const pg = env.DATABASE_URL ? postgresAddress(env.DATABASE_URL) : undefined;
  const [natsUp, pgUp] = await Promise.all([
    Promise.all(nats.map((a) => probe(a.host, a.port))).then((r) => r.some(Boolean)),
    pg ? probe(pg.host, pg.port) : Promise.resolve(true),
  ]);
  if (!natsUp) {
    down.push({
      name: 'NATS',
      setting: 'NATS_URL',
      where: nats.map((a) => `${a.host}:${a.port}`).join(', '),
      hint: `start it with JetStream (nats-server -js, or docker compose up -d nats), point NATS_URL at a running one, ${EMBEDDED}`,
    });
  }
  if (!pgUp && pg) {
    down.push({
      name: 'PostgreSQL',
      setting: 'DATABASE_URL',
      where: `${pg.host}:${pg.port}`,
      hint: `start it (e.g. sudo systemctl start postgresql, or docker compose up -d postgres), point DATABASE_URL at a running one, ${EMBEDDED}`,
    });
  }
  return down;
}

/** The lines `ccpulse start` prints before stopping. */
export function describeDown(down: readonly DownDependency[]): string[] {
  return down.map((d) => `${d.name} does not answer at ${d.where} (${d.setting}): ${d.hint}.`);
}
