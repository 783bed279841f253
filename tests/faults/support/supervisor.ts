/** Restarts a child whenever it exits (as a container restart policy would), counting the exits. */
import type { ChildApp } from './child-app';

export interface Supervisor {
  current(): ChildApp;
  /** Exits not asked for by `stop()`. */
  exits(): number;
  /** Output of every exited instance (for failure messages). */
  history(): string;
  stop(): Promise<void>;
}

export function supervise(start: () => ChildApp, restartDelayMs = 500): Supervisor {
  let stopped = false;
  let exits = 0;
  let history = '';
  let child = start();
  const watch = (c: ChildApp): void => {
    void c.exited.then(async (code) => {
      if (stopped) return;
      exits++;
      history += `--- exited ${code}:\n${c.output().slice(-3000)}\n`;
      await new Promise((r) => setTimeout(r, restartDelayMs));
      if (stopped) return;
      child = start();
      watch(child);
    });
  };
  watch(child);
  return {
    current: () => child,
    exits: () => exits,
    history: () => history,
    async stop() {
      stopped = true;
      await child.stop();
    },
  };
}
