/**
 * `ccpulse start` (also `npm start`): migrations, then aggregator, api and ingestor as one
 * supervised group against NATS_URL / DATABASE_URL. Prints the URLs once the api is ready,
 * restarts crashed children with backoff, and stops everything in order on Ctrl-C / SIGTERM.
 */
import path from 'node:path';
import { spawnChild, consoleSink, type ChildSpec } from './child.process';
import { checkDependencies, describeDown } from './dependency.check';
import { readinessUrl, waitUntilReady } from './readiness.probe';
import { describeExit } from './restart.policy';
import { onSignal, supervisorExitCode } from './shutdown.plan';
import { ConfigError } from '@ccpulse/runtime';
import { announceUrls, resolveStartConfig, START_USAGE, type StartConfig } from './start.config';
import { startSupervisor } from './supervisor';
import { startEmbeddedForStart } from './embedded/start-hook';
import { prettySink, wantsPrettyLogs } from './pretty-log';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * The script the children run: this package's `bin/ccpulse.js`. `CCPULSE_BIN` overrides it
 * (an installed copy elsewhere, or a stand-in in tests).
 */
export function ccpulseBin(env: NodeJS.ProcessEnv): string {
  if (env.CCPULSE_BIN) return path.resolve(env.CCPULSE_BIN);
  // compiled: <root>/dist/tools/start/start.command.js; from source: <root>/tools/start/start.command.ts
  const up = __filename.endsWith('.js') ? ['..', '..', '..'] : ['..', '..'];
  return path.join(__dirname, ...up, 'bin', 'ccpulse.js');
}

function say(line: string): void {
  process.stdout.write(`ccpulse start: ${line}\n`);
}

/** `ccpulse start [options]`: 0 after a requested stop, 1 when an app failed for good, 2 for bad options, else migrate's code. */
export async function run(argv: string[]): Promise<number> {
  let config: StartConfig;
  try {
    const args = resolveStartConfig(argv, process.env);
    if (args.help) {
      console.log(START_USAGE);
      return 0;
    }
    config = args.config;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`ccpulse start: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const services = await startEmbeddedForStart(config.embedded, config.childEnv, process.env, say);
  if (services.exitCode !== undefined) return services.exitCode;
  try {
    const down = await checkDependencies(config.childEnv);
    if (down.length > 0) {
      for (const line of describeDown(down)) console.error(`ccpulse start: ${line}`);
      console.error('ccpulse start: not starting the apps');
      return 1;
    }
    return await runGroup(config);
  } finally {
    await services.stop();
  }
}

async function runGroup(config: StartConfig): Promise<number> {
  for (const w of config.warnings) console.warn(`ccpulse start: WARNING ${w}`);
  say(`NATS_URL=${redact(config.childEnv.NATS_URL)} DATABASE_URL=${redact(config.childEnv.DATABASE_URL)}`);

  const bin = ccpulseBin(process.env);
  const spec = (name: string, command: string): ChildSpec => ({
    name,
    command: process.execPath,
    args: [bin, command],
    env: config.childEnv,
  });
  const sink = wantsPrettyLogs(process.env, process.stdout.isTTY) ? prettySink(consoleSink) : consoleSink;
  const width = Math.max('migrate'.length, ...config.apps.map((a) => a.length));

  if (config.migrate) {
    say('running migrations');
    // --create-db: a DATABASE_URL naming a database that does not exist yet is created when the role may.
    const migrate = spawnChild({ ...spec('migrate', 'migrate'), args: [bin, 'migrate', '--create-db'] }, sink, width);
    // Before the group exists, a signal just stops the migration and us with it.
    let interrupted: NodeJS.Signals | undefined;
    const stopMigrate = (signal: NodeJS.Signals): void => {
      interrupted = signal;
      migrate.signal('SIGTERM');
    };
    for (const s of SIGNALS) process.on(s, stopMigrate);
    const exit = await migrate.exited.finally(() => SIGNALS.forEach((s) => process.off(s, stopMigrate)));
    if (interrupted) {
      say(`${interrupted} received during migrations; not starting the apps`);
      return 130;
    }
    if (exit.code !== 0) {
      console.error(`ccpulse start: migrations failed (${describeExit(exit)}); not starting the apps`);
      return exit.code && exit.code > 0 ? exit.code : 1;
    }
  }

  const commands: Record<string, string> = { aggregator: 'aggregate', api: 'api', ingestor: 'ingest' };
  const supervisor = startSupervisor({
    specs: config.apps.map((app) => ({ ...spec(app, commands[app]), name: app })),
    sink,
    say,
    graceMs: config.graceMs,
  });

  const handler = (signal: NodeJS.Signals): void => {
    const action = onSignal(signal, supervisor.isStopping());
    if (action === 'shutdown') {
      say(`${signal} received; stopping (press Ctrl-C again to kill immediately)`);
      void supervisor.stop({ kind: 'signal', signal });
    } else if (action === 'kill-now') {
      say(`${signal} received again; killing all children`);
      supervisor.killAll();
    }
  };
  // If we die for any other reason, do not leave detached children behind.
  const lastResort = (): void => supervisor.killAll();
  for (const s of SIGNALS) process.on(s, handler);
  process.on('exit', lastResort);

  const ready = new AbortController();
  if (config.apps.includes('api')) {
    void waitUntilReady(readinessUrl(config.apiPort), ready.signal).then((ok) => {
      if (!ok) return;
      say('api is ready');
      for (const line of announceUrls(config.apiPort, config.apps, process.env)) say(line);
    });
  }

  try {
    const reason = await supervisor.done;
    say('all stopped');
    if (reason.kind === 'failed') {
      console.error(`ccpulse start: ${reason.name} failed (see its last lines above); fix it, or start without it: ccpulse start --without ${reason.name}`);
    }
    return supervisorExitCode(reason);
  } finally {
    ready.abort();
    for (const s of SIGNALS) process.off(s, handler);
    process.off('exit', lastResort);
  }
}

/** Never print a password that came in a URL. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
