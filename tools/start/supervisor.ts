/**
 * Keeps a group of children running: restarts a crashed one after a backoff (bounded by the
 * restart policy), and stops them all in the planned order on request. Decisions come from the
 * pure functions in restart.policy.ts and shutdown.plan.ts; this file only acts on them.
 */
import { spawnChild, type ChildSpec, type LogSink, type RunningChild } from './child.process';
import { decideAfterOutdated, decideRestart, describeExit, DEFAULT_RESTART_POLICY, OUTDATED_EXIT_CODE, type ChildExit, type RestartPolicy } from './restart.policy';
import { planShutdown, SHUTDOWN_ORDER, type StopReason } from './shutdown.plan';

/** Options of one supervised group. */
export interface SupervisorOptions {
  specs: ChildSpec[];
  sink: LogSink;
  /** Supervisor's own messages. */
  say(line: string): void;
  policy?: RestartPolicy;
  graceMs: number;
  shutdownOrder?: readonly string[];
  now?: () => number;
}


/** Handle to a running group. */
export interface Supervisor {
  /** Orderly stop (idempotent); resolves when every child has exited. */
  stop(reason: StopReason): Promise<void>;
  /** SIGKILL every child now. */
  killAll(): void;
  /** Settles when the group has fully stopped, with the reason. */
  done: Promise<StopReason>;
  isStopping(): boolean;
  /** Children alive right now. */
  running(): string[];
}

export function startSupervisor(opts: SupervisorOptions): Supervisor {
  const policy = opts.policy ?? DEFAULT_RESTART_POLICY;
  const now = opts.now ?? Date.now;
  const width = Math.max(...opts.specs.map((s) => s.name.length));
  const live = new Map<string, RunningChild>();
  const crashes = new Map<string, number[]>();
  const outdatedInARow = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let stopping: Promise<void> | undefined;
  let finish!: (reason: StopReason) => void;
  const done = new Promise<StopReason>((resolve) => (finish = resolve));

  const launch = (spec: ChildSpec): void => {
    const child = spawnChild(spec, opts.sink, width);
    live.set(spec.name, child);
    opts.say(`started ${spec.name} (pid ${child.pid ?? '?'})`);
    void child.exited.then((exit) => onExit(spec, child, exit));
  };

  const onExit = (spec: ChildSpec, child: RunningChild, exit: ChildExit): void => {
    if (live.get(spec.name) === child) live.delete(spec.name);
    if (stopping) return;
    let decision;
    if (exit.code === OUTDATED_EXIT_CODE) {
      // Outdated is not a crash: it neither counts towards giving up nor stops the group.
      const inARow = (outdatedInARow.get(spec.name) ?? 0) + 1;
      outdatedInARow.set(spec.name, inARow);
      decision = decideAfterOutdated(spec.name, inARow, policy);
    } else {
      outdatedInARow.delete(spec.name);
      const times = [...(crashes.get(spec.name) ?? []), now()];
      crashes.set(spec.name, times);
      decision = decideRestart(spec.name, exit, times, now(), policy);
    }
    if (decision.action === 'give-up') {
      opts.say(`${spec.name} ${describeExit(exit)}; ${decision.reason}; stopping the others`);
      void stop({ kind: 'failed', name: spec.name });
      return;
    }
    if (decision.action === 'retire') {
      opts.say(`${spec.name} ${describeExit(exit)} (outdated); ${decision.reason}`);
      return;
    }
    if (decision.reason) opts.say(`${spec.name} ${describeExit(exit)} (outdated); ${decision.reason}`);
    else opts.say(`${spec.name} ${describeExit(exit)}; restart #${decision.attempt} in ${decision.delayMs} ms`);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopping) launch(spec);
    }, decision.delayMs);
    timers.add(timer);
  };

  const stop = (reason: StopReason): Promise<void> => {
    if (stopping) return stopping;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    stopping = (async () => {
      const stages = planShutdown([...live.keys()], opts.graceMs, opts.shutdownOrder ?? SHUTDOWN_ORDER);
      for (const stage of stages) {
        const children = stage.names.map((n) => live.get(n)).filter((c): c is RunningChild => c !== undefined);
        if (children.length === 0) continue;
        opts.say(`stopping ${stage.names.join(', ')} (${stage.signal})`);
        children.forEach((c) => c.signal(stage.signal));
        await Promise.all(children.map((c) => exitOrKill(c, stage.killAfterMs)));
      }
      finish(reason);
    })();
    return stopping;
  };

  const exitOrKill = async (child: RunningChild, ms: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    const first = await Promise.race([child.exited, late]);
    clearTimeout(timer);
    if (first === 'late') {
      opts.say(`${child.name} did not stop within ${ms} ms; sending SIGKILL`);
      child.signal('SIGKILL');
      await child.exited;
    } else {
      opts.say(`${child.name} ${describeExit(first)}`);
    }
  };

  for (const spec of opts.specs) launch(spec);

  return {
    stop,
    done,
    killAll: () => [...live.values()].forEach((c) => c.signal('SIGKILL')),
    isStopping: () => stopping !== undefined,
    running: () => [...live.keys()],
  };
}
