/**
 * The one place `ccpulse start` calls into: before the migration, start the servers that are
 * missing (or all with --embedded), point the children at them, and stop them after the apps.
 */
import { NatsServerMissingError } from '@ccpulse/runtime';
import { EmbeddedPostgresError } from './embedded-postgres';
import { planEmbedded, startEmbeddedServices, type EmbeddedMode } from './embedded-services';
import { NatsServerStartError } from './nats-server';

export interface EmbeddedHook {
  /** Set when `ccpulse start` must stop here with this code. */
  exitCode?: number;
  /** Stops what was started (nothing when nothing was). */
  stop(): Promise<void>;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function startEmbeddedForStart(
  mode: EmbeddedMode,
  childEnv: Record<string, string>,
  env: Readonly<Record<string, string | undefined>>,
  say: (line: string) => void,
): Promise<EmbeddedHook> {
  const none: EmbeddedHook = { stop: async () => undefined };
  const plan = await planEmbedded(mode, env);
  if (!plan.postgres && !plan.nats) return none;
  if (mode === 'force' && (env.DATABASE_URL?.trim() || env.NATS_URL?.trim())) {
    say('--embedded: DATABASE_URL and NATS_URL are ignored; using servers of its own');
  }
  // A Ctrl-C while a server is starting: finish starting it, then stop everything and leave.
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = signal;
  };
  SIGNALS.forEach((s) => process.on(s, onSignal));
  try {
    const services = await startEmbeddedServices(plan, { mode, env, say });
    Object.assign(childEnv, services.env);
    const lastResort = (): void => services.signalStop();
    process.on('exit', lastResort);
    const hook: EmbeddedHook = {
      stop: async () => {
        await services.stop();
        process.off('exit', lastResort);
      },
    };
    if (interrupted) {
      say(`${interrupted} received while starting the servers; stopping them`);
      await hook.stop();
      return { ...none, exitCode: 130 };
    }
    return hook;
  } catch (err) {
    if (err instanceof NatsServerMissingError) {
      const why = mode === 'force' ? '--embedded runs a nats-server' : 'NATS_URL is unset and nothing answers on 127.0.0.1:4222, so ccpulse runs a nats-server';
      process.stderr.write(`ccpulse start: ${why}, but ${err.message}\n`);
      return { ...none, exitCode: 2 };
    }
    if (err instanceof EmbeddedPostgresError || err instanceof NatsServerStartError) {
      process.stderr.write(`ccpulse start: ${err.message}\n`);
      return { ...none, exitCode: 1 };
    }
    throw err;
  } finally {
    SIGNALS.forEach((s) => process.off(s, onSignal));
  }
}
