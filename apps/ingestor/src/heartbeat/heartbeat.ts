import { heartbeatSubject, type Heartbeat } from '@ccpulse/domain';
import type { NatsConnection } from '@nats-io/transport-node';

/** The ingestor's own version, reported in heartbeats (the package version when built). */
export const INGESTOR_VERSION: string = (() => {
  // Source (tests) sits four levels below the repo root, the compiled file five (under dist/).
  for (const path of ['../../../../package.json', '../../../../../package.json']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require(path) as { version: string }).version;
    } catch {
      // try the next layout
    }
  }
  return '0.0.0';
})();

/** Publishes `<prefix>.heartbeat.<user>` on core NATS: the API's "last sync". Fire and forget. */
export function publishHeartbeat(
  nc: NatsConnection,
  args: { user: string; host: string; subjectPrefix: string; filesTracked: number; lagBytes: number; now: Date },
): Heartbeat {
  const heartbeat: Heartbeat = {
    v: 1,
    user: args.user,
    host: args.host,
    version: INGESTOR_VERSION,
    filesTracked: args.filesTracked,
    lagBytes: args.lagBytes,
    at: args.now.toISOString(),
  };
  nc.publish(heartbeatSubject(args.user, args.subjectPrefix), JSON.stringify(heartbeat));
  return heartbeat;
}
