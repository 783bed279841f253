import type { ProjectionCoordinator } from '../replay/projection-coordinator';
import { opsRequest } from './ops.client';
import { withOpsConnection } from './ops-cli';

type ReplayStatus = Awaited<ReturnType<ProjectionCoordinator['replayStatus']>>;
type ReplayStart = Awaited<ReturnType<ProjectionCoordinator['startRebuild']>>;

export const REPLAY_USAGE = `usage: ccpulse replay [--wait] [--timeout SECONDS]

Asks the running aggregator to rebuild the projections from stream sequence 1 at the current
processor version, into a new schema next to the live one, and to swap it live once caught up.
  --wait           follow the progress until the swap
  --timeout S      give up waiting after S seconds (exit 1)`;

function line(b: NonNullable<ReplayStatus['building']>): string {
  const eta = b.etaSeconds === null ? '?' : `${b.etaSeconds}s`;
  return `${b.schema}: ${b.checkpoint}/${b.head} stream messages, ${b.ratePerSecond}/s, ETA ${eta}`;
}

/** `ccpulse replay [--wait]`: 0 when started (or swapped, with --wait), 1 on failure or timeout, 2 on bad usage. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${REPLAY_USAGE}\n`);
    return 0;
  }
  const wait = argv.includes('--wait');
  const t = argv.indexOf('--timeout');
  const timeoutS = t >= 0 ? Number(argv[t + 1]) : Infinity;
  if (t >= 0 && !(timeoutS > 0)) {
    process.stderr.write(`ccpulse replay: --timeout needs a number of seconds\n${REPLAY_USAGE}\n`);
    return 2;
  }
  return withOpsConnection('replay', async (nc, config) => {
    const started = await opsRequest<ReplayStart>(nc, config.opsPrefix, 'replay.start');
    process.stdout.write(
      `${started.alreadyRunning ? 'a rebuild is already running' : 'rebuild started'}: ${started.schema} (consumer ${started.consumer})\n`,
    );
    if (!wait) return 0;
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const s = await opsRequest<ReplayStatus>(nc, config.opsPrefix, 'replay.status');
      if (s.building?.schema === started.schema) process.stdout.write(`${line(s.building)}\n`);
      else if (s.live?.schema === started.schema) {
        process.stdout.write(`swapped: ${started.schema} is live (checkpoint ${s.live.checkpoint}); ${s.lastSwap?.previous ?? 'the old schema'} dropped\n`);
        return 0;
      } else if (!s.building) {
        process.stderr.write(`ccpulse replay: the rebuild of ${started.schema} is no longer running\n`);
        return 1;
      }
      if (Date.now() > deadline) {
        process.stderr.write(`ccpulse replay: still rebuilding after ${timeoutS}s\n`);
        return 1;
      }
    }
  });
}
