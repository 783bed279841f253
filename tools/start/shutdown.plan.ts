/**
 * The order the group stops in. Producers first: the ingestor stops publishing and waits for its
 * outstanding PubAcks (so checkpoints are exact), then the aggregator finishes and commits its
 * in-flight batch, and the API goes last so dashboards keep answering until the data stops moving.
 */

/** The long-running apps `ccpulse start` supervises, in start order. */
export const APP_NAMES = ['aggregator', 'api', 'ingestor'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** Stop order: first entry is signalled first. */
export const SHUTDOWN_ORDER: readonly AppName[] = ['ingestor', 'aggregator', 'api'];

/** One stage of the shutdown: signal these children, SIGKILL whoever is left after `killAfterMs`. */
export interface ShutdownStage {
  names: string[];
  signal: NodeJS.Signals;
  killAfterMs: number;
}

/**
 * Stages for the children still running. Names not in `order` (e.g. test doubles) stop together
 * in a final stage. Each stage gets the full grace period, because each app drains on its own.
 */
export function planShutdown(
  running: readonly string[],
  graceMs: number,
  order: readonly string[] = SHUTDOWN_ORDER,
): ShutdownStage[] {
  const stages: ShutdownStage[] = [];
  for (const name of order) {
    if (running.includes(name)) stages.push({ names: [name], signal: 'SIGTERM', killAfterMs: graceMs });
  }
  const rest = running.filter((n) => !order.includes(n));
  if (rest.length > 0) stages.push({ names: rest, signal: 'SIGTERM', killAfterMs: graceMs });
  return stages;
}

/** What a signal means to the supervisor, given whether it is already stopping. */
export type SignalAction = 'shutdown' | 'kill-now' | 'ignore';

/**
 * First Ctrl-C / SIGTERM: orderly shutdown. A second Ctrl-C while stopping: the user is impatient,
 * SIGKILL everything. A repeated SIGTERM (e.g. from a process manager) changes nothing.
 */
export function onSignal(signal: NodeJS.Signals, stopping: boolean): SignalAction {
  if (!stopping) return 'shutdown';
  return signal === 'SIGINT' ? 'kill-now' : 'ignore';
}

/** Why the group ended: a signal we were sent, or a child that failed for good. */
export type StopReason = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'failed'; name: string };

/** Exit code of `ccpulse start`: 0 after a requested stop, 1 when it stopped because a child failed for good. */
export function supervisorExitCode(reason: StopReason): number {
  return reason.kind === 'failed' ? 1 : 0;
}
