import type { Logger } from 'pino';
import { INGEST_USAGE, loadIngestConfig, parseIngestArgs, type IngestConfig } from './config/ingest-config';
import { limitHeapGrowth } from './heap-growth';
import { checkTranscriptPresence, describeNoTranscripts } from './files/transcript-presence';
import { IngestRun } from './ingest/ingest-run';
import { ConfigError, createAppLogger, isLogSettingError, shutdownSignal } from '@ccpulse/runtime';

/**
 * `ccpulse ingest`: exit 0 after `--once` or a signal, 2 for bad settings or (`--once`) when no
 * transcript folder exists, 1 when it cannot start.
 */
export async function run(argv: string[]): Promise<number> {
  if (['install', 'uninstall', 'status'].includes(argv[0] ?? '')) {
    // Loaded only here: the service commands are not part of the running ingestor.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./service/service.command') as typeof import('./service/service.command')).runServiceCommand(argv);
  }
  let config: IngestConfig;
  let log: ReturnType<typeof createAppLogger>;
  try {
    const args = parseIngestArgs(argv);
    if (args.help) {
      process.stdout.write(`${INGEST_USAGE}\n`);
      return 0;
    }
    config = loadIngestConfig(process.env, args);
    // stderr: stdout stays free for command output.
    log = createAppLogger({ fd: 2, pino: { name: 'ccpulse-ingest' } });
  } catch (err) {
    if (!(err instanceof ConfigError) && !isLogSettingError(err)) throw err;
    process.stderr.write(`ccpulse ingest: invalid setting ${err.message}\n`);
    return 2;
  }
  limitHeapGrowth();
  // Said before connecting anything: an ingest that finds nothing must not look like success.
  const presence = await checkTranscriptPresence(config.roots);
  const nothing = describeNoTranscripts(presence, process.env);
  if (nothing && config.once && presence.existing.length === 0) {
    process.stderr.write(`ccpulse ingest: ${nothing}\n`);
    return 2;
  }
  if (nothing) log.warn({ searched: presence.searched, claudeConfigDir: process.env.CLAUDE_CONFIG_DIR ?? null }, nothing);
  const signal = shutdownSignal();
  const host = config.once ? oneShot(config, log) : await following(config, log);
  const service = host.run;
  try {
    await service.start();
  } catch (err) {
    log.error({ code: (err as { code?: unknown }).code }, (err as Error).message);
    await host.close();
    return 1;
  }
  const work = config.once ? service.runOnce() : service.follow().then(() => new Promise<never>(() => undefined));
  const outcome = await Promise.race([work.then(() => 'done'), signal]);
  if (outcome !== 'done') log.info({ signal: outcome }, 'stopping');
  await host.close();
  return 0;
}

interface Host {
  run: IngestRun;
  close(): Promise<void>;
}

/**
 * `--once` runs the lifecycle on its own: loading the Nest module graph took about half of the
 * start-up's CPU and 11 MB of RSS, for a process that only backfills and exits.
 */
function oneShot(config: IngestConfig, log: Logger): Host {
  const run = new IngestRun(config, log);
  return { run, close: () => run.stop() };
}

/** The following ingestor, a long-running service, runs as a Nest application context. */
async function following(config: IngestConfig, log: Logger): Promise<Host> {
  // Loaded only here, so `--once` never loads Nest.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createNestHost } = require('./ingest/nest-host') as typeof import('./ingest/nest-host');
  return createNestHost(config, log);
}
