import type { ProjectionCoordinator } from '../replay/projection-coordinator';
import type { ConsumerStatus } from './consumer-status';
import { opsRequest } from './ops.client';
import { withOpsConnection } from './ops-cli';

type ReplayStatus = Awaited<ReturnType<ProjectionCoordinator['replayStatus']>>;

export const STATUS_USAGE = `usage: ccpulse status [--json]

Shows the aggregator's consumers (checkpoint, pending, ack floor, lag) and any rebuild in progress.`;

/** `ccpulse status [--json]`: 0 when an aggregator answered, 1 otherwise. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${STATUS_USAGE}\n`);
    return 0;
  }
  return withOpsConnection('status', async (nc, config) => {
    const consumers = await opsRequest<ConsumerStatus>(nc, config.opsPrefix, 'consumer.status');
    const replay = await opsRequest<ReplayStatus>(nc, config.opsPrefix, 'replay.status');
    if (argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ consumers, replay }, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [];
    out.push(`aggregator ${replay.role}, processor version ${replay.processorVersion}`);
    out.push(`stream ${consumers.stream}: head ${consumers.streamHead}, ${consumers.streamMessages} messages`);
    out.push(['consumer', 'schema', 'checkpoint', 'pending', 'ack-pending', 'ack-floor', 'lag'].join('\t'));
    for (const c of consumers.consumers) {
      out.push([c.consumer, c.schema, c.checkpoint, c.numPending, c.numAckPending, c.ackFloor, c.lag].join('\t'));
    }
    if (replay.building) {
      const b = replay.building;
      out.push(`rebuilding ${b.schema} (${b.reason}): ${b.checkpoint}/${b.head}, ${b.ratePerSecond}/s, ETA ${b.etaSeconds ?? '?'}s`);
    }
    if (replay.lastSwap) out.push(`last swap: ${replay.lastSwap.schema} live since ${replay.lastSwap.at}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  });
}
