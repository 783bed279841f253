/**
 * Wraps an async refresh so bursts of triggers run it at most once at a time: a trigger while it
 * runs schedules exactly one more run afterwards (the latest data wins, nothing piles up).
 * That is what keeps the page smooth when updates arrive faster than queries return.
 */
export function coalesce(run: () => Promise<void>): { trigger(): void; readonly running: boolean } {
  let running = false;
  let again = false;
  const loop = async () => {
    running = true;
    try {
      do {
        again = false;
        try {
          await run();
        } catch {
          // The refresh reports its own errors; a failure must not stop later triggers.
        }
      } while (again);
    } finally {
      running = false;
    }
  };
  return {
    trigger() {
      if (running) again = true;
      else void loop();
    },
    get running() {
      return running;
    },
  };
}
